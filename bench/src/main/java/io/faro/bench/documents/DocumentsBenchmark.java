package io.faro.bench.documents;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.MixedCorpus;
import io.faro.bench.data.Squad;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Document;
import io.faro.documents.TextExtractor;
import io.faro.documents.samples.SampleFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench documents}: (1) text extraction alone, FARO's {@link TextExtractor} as the ingest runs it,
 * in pages per second for PDF (and slides and sections per second for PPTX and DOCX); (2) the whole pipeline on
 * the same paragraphs as text documents and as a corpus of PDF, DOCX, PPTX, HTML, Markdown and text files, in
 * documents and chunks per second until every chunk is searchable, and the ratio mixed / text.
 */
@Command(name = "documents", mixinStandardHelpOptions = true,
        description = "PDF extraction pages/s, and the pipeline's rate on a mixed-format corpus against text only.")
public final class DocumentsBenchmark implements Callable<Integer> {

    private static final String PDF_PAGES = "pdf_pages_per_second";
    private static final String PPTX_SLIDES = "pptx_slides_per_second";
    private static final String DOCX_SECTIONS = "docx_sections_per_second";
    private static final String TEXT_RATE = "text_documents_per_second";
    private static final String MIXED_RATE = "mixed_documents_per_second";
    private static final String TEXT_CHUNKS = "text_chunks_per_second";
    private static final String MIXED_CHUNKS = "mixed_chunks_per_second";

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--files", defaultValue = "40",
            description = "Files of each format the extraction runs read (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--pages", defaultValue = "20",
            description = "Pages (slides, sections) of each of those files, a SQuAD paragraph each (default: ${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--documents", defaultValue = "240",
            description = "Documents of each pipeline corpus (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--parts", defaultValue = "4",
            description = "Paragraphs per pipeline document: its pages, slides or sections (default: ${DEFAULT-VALUE}).")
    int parts;

    @Option(names = "--warmup-documents", defaultValue = "24",
            description = "Documents each pipeline run ingests before it is timed (default: ${DEFAULT-VALUE}).")
    int warmupDocuments;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("documents", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        try (Stack stack = Stack.start(bench.env(), true)) {
            FaroConfig config = stack.baseConfig();
            Map<String, List<byte[]>> sample = extractionFiles(squad);
            List<Document> text = MixedCorpus.text(squad, documents, parts, "text");
            List<Document> mixed = MixedCorpus.mixed(squad, documents, parts, "mixed");
            List<Document> warmup = MixedCorpus.mixed(squad, warmupDocuments, parts, "warmup");
            report.parameter("data", options.data(bench).toString())
                    .parameter("extraction_files_per_format", files)
                    .parameter("pages_per_file", pages)
                    .parameter("pipeline_documents", documents)
                    .parameter("paragraphs_per_document", parts)
                    .parameter("mixed_formats", MixedCorpus.FORMATS)
                    .parameter("runs", runs)
                    .parameter("model", config.embedding().model())
                    .parameter("chunk_size_tokens", config.chunkSizeTokens())
                    .parameter("parse_timeout_ms", config.extraction().parseTimeoutMs())
                    .parameter("qdrant", stack.qdrantDescription());
            TextExtractor extractor = new TextExtractor(config.extraction());
            extractionRates(extractor, sample); // warm-up: class loading and the JIT, not timed
            // one pipeline run of each corpus first, not timed, as the ingest benchmark does
            PipelineRuns.run(stack, warmup, text);
            PipelineRuns.run(stack, warmup, mixed);
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                extractionRates(extractor, sample).forEach((name, rate) -> {
                    figures.put(name, rate);
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
                });
                progress("run %d: PDF extraction %.1f pages/s", run, (double) figures.get(PDF_PAGES));
                Map<String, Object> textRun = PipelineRuns.run(stack, warmup, text);
                Map<String, Object> mixedRun = PipelineRuns.run(stack, warmup, mixed);
                figures.put("text_pipeline", textRun);
                figures.put("mixed_pipeline", mixedRun);
                add(rates, TEXT_RATE, textRun, "documents_per_second");
                add(rates, TEXT_CHUNKS, textRun, "chunks_per_second");
                add(rates, MIXED_RATE, mixedRun, "documents_per_second");
                add(rates, MIXED_CHUNKS, mixedRun, "chunks_per_second");
                progress("run %d: pipeline, text %.1f documents/s, mixed %.1f documents/s", run,
                        (double) textRun.get("documents_per_second"), (double) mixedRun.get("documents_per_second"));
                report.run(figures);
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            rates.forEach((name, values) -> {
                medians.put(name, Stats.median(values));
                report.median(name, Stats.median(values));
            });
            double ratio = Stats.medianRatio(rates.get(MIXED_RATE), rates.get(TEXT_RATE));
            report.median("mixed_vs_text_documents", ratio)
                    .median("mixed_vs_text_chunks", Stats.medianRatio(rates.get(MIXED_CHUNKS), rates.get(TEXT_CHUNKS)))
                    .line("text extraction alone, one thread, median of %d runs:", runs)
                    .line("  PDF   %8.1f pages/s", medians.get(PDF_PAGES))
                    .line("  PPTX  %8.1f slides/s", medians.get(PPTX_SLIDES))
                    .line("  DOCX  %8.1f sections/s", medians.get(DOCX_SECTIONS))
                    .line("pipeline, %d documents of %d paragraphs, until searchable in both stores:", documents, parts)
                    .line("  text only   %8.2f documents/s  %8.1f chunks/s", medians.get(TEXT_RATE), medians.get(TEXT_CHUNKS))
                    .line("  mixed       %8.2f documents/s  %8.1f chunks/s", medians.get(MIXED_RATE), medians.get(MIXED_CHUNKS))
                    .line("  mixed / text: %.3f (documents)", ratio)
                    .note("Qdrant: " + stack.qdrantDescription());
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private static void add(Map<String, List<Double>> rates, String name, Map<String, Object> run, String figure) {
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add((double) run.get(figure));
    }

    /** {@code files} PDFs, decks and Word files of {@code pages} paragraphs each. */
    private Map<String, List<byte[]>> extractionFiles(Squad squad) {
        progress("making %d PDF, PPTX and DOCX files of %d pages each", files, pages);
        List<Document> paragraphs = MixedCorpus.text(squad, files, pages, "x");
        Map<String, List<byte[]>> sample = new LinkedHashMap<>();
        for (Document doc : paragraphs) {
            List<String> parts = List.of(doc.text().split("\n\n"));
            sample.computeIfAbsent("pdf", k -> new ArrayList<>()).add(SampleFiles.pdf(parts.toArray(String[]::new)));
            sample.computeIfAbsent("pptx", k -> new ArrayList<>()).add(SampleFiles.pptx(parts.toArray(String[]::new)));
            List<String> blocks = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                blocks.add("# Part " + (i + 1));
                blocks.add(parts.get(i));
            }
            sample.computeIfAbsent("docx", k -> new ArrayList<>()).add(SampleFiles.docx(blocks.toArray(String[]::new)));
        }
        return sample;
    }

    /** Pages (slides, sections) per second of each format, one file after the other on one thread. */
    private Map<String, Double> extractionRates(TextExtractor extractor, Map<String, List<byte[]>> sample) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put(PDF_PAGES, rate(extractor, sample.get("pdf"), SampleFiles.PDF));
        rates.put(PPTX_SLIDES, rate(extractor, sample.get("pptx"), SampleFiles.PPTX));
        rates.put(DOCX_SECTIONS, rate(extractor, sample.get("docx"), SampleFiles.DOCX));
        return rates;
    }

    private static double rate(TextExtractor extractor, List<byte[]> files, String contentType) {
        long units = 0;
        long start = System.nanoTime();
        for (byte[] file : files) {
            units += extractor.extract(new Document.Inline(file, contentType)).sections().size();
        }
        return units / ((System.nanoTime() - start) / 1e9);
    }
}
