package io.faro.topology.ingest;

import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Document;
import io.faro.core.document.DocumentFormat;
import io.faro.documents.ExtractedText;
import io.faro.documents.ExtractionException;
import io.faro.documents.TextExtractor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * A document's text and where each part of it lies, from its text or its bytes; times each extraction from
 * bytes by format and outcome, so slow or failing formats show on a dashboard.
 */
final class ExtractionStep {

    private final TextExtractor extractor;
    private final MeterRegistry meters;

    ExtractionStep(TextExtractor extractor, MeterRegistry meters) {
        this.extractor = extractor;
        this.meters = meters;
    }

    /** @throws ExtractionException when the content yields no text, saying why */
    ExtractedText extract(Document document) {
        if (!(document.content() instanceof Document.Inline inline)) {
            return extractor.extract(document.content());
        }
        String format = DocumentFormat.ofContentType(inline.contentType()).map(f -> f.name().toLowerCase(Locale.ROOT))
                .orElse("other");
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return extractor.extract(inline);
        } catch (ExtractionException e) {
            outcome = e.reason().name().toLowerCase(Locale.ROOT);
            throw e;
        } finally {
            Timer.builder(MetricNames.EXTRACT_SECONDS).tag(MetricNames.TAG_FORMAT, format)
                    .tag(MetricNames.TAG_OUTCOME, outcome).register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
