package io.faro.documents;

import io.faro.core.config.FaroConfig;
import io.faro.core.document.DocumentFormat;
import io.faro.core.model.ChunkLocation;
import io.faro.core.model.Document;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.html.JSoupParser;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.SecureContentHandler;
import org.xml.sax.SAXException;

/**
 * Turns a document's content into its text, cut into {@link Section}s that know where they lie. Text and
 * Markdown are read as they are; the bytes of a PDF, DOCX, PPTX, XLSX or HTML file go through the Tika parser
 * of their format, on a thread of its own within the time limit ({@link ParseWorkers}), with the text capped
 * and compressed parts not allowed to expand past the ratio (Tika's {@link SecureContentHandler} on the
 * output, POI's {@link ZipSecureFile} on every zip entry). Every failure is an {@link ExtractionException}
 * that says why. Thread-safe: one instance serves every stream thread.
 */
public final class TextExtractor {

    private final FaroConfig.ExtractionSettings limits;
    private final ParseWorkers workers;
    private final Detector detector = new DefaultDetector();
    private final Parser pdf = new PDFParser();
    private final Parser ooxml = new OOXMLParser();
    private final Parser html = new JSoupParser();

    public TextExtractor(FaroConfig.ExtractionSettings limits) {
        this(limits, ParseWorkers.defaultSlots());
    }

    TextExtractor(FaroConfig.ExtractionSettings limits, int parseSlots) {
        this.limits = limits;
        this.workers = new ParseWorkers(parseSlots);
        // POI checks every zip entry it inflates against this ratio; it is one setting for the whole JVM.
        ZipSecureFile.setMinInflateRatio(1.0 / limits.maxCompressionRatio());
    }

    /** The text of a document: as it is for {@code text}, extracted for inline bytes. */
    public ExtractedText extract(Document.Content content) {
        return switch (content) {
            case Document.Text text -> MarkdownSections.of(text.text(), Integer.MAX_VALUE);
            case Document.Inline inline -> extract(inline.bytes(), Optional.of(inline.contentType()));
            case Document.Reference ref -> throw new ExtractionException(ExtractionException.Reason.UNSUPPORTED,
                    "the claim check " + ref.ref() + " must be fetched before its text can be extracted");
        };
    }

    /**
     * The text of a file's bytes. {@code contentType} empty or {@code application/octet-stream}: the format is
     * detected from the bytes.
     */
    public ExtractedText extract(byte[] bytes, Optional<String> contentType) {
        if (bytes.length == 0) {
            throw new ExtractionException(ExtractionException.Reason.EMPTY, "the content is empty (0 bytes)");
        }
        String declared = contentType.filter(t -> !DocumentFormat.baseType(t).equals(DocumentFormat.OCTET_STREAM))
                .orElse(null);
        DocumentFormat format = declared != null ? declaredFormat(declared) : detectedFormat(bytes);
        Duration timeout = Duration.ofMillis(limits.parseTimeoutMs());
        long deadline = System.nanoTime() + timeout.toNanos();
        ExtractedText text;
        try {
            text = workers.run(() -> parse(bytes, format, Optional.ofNullable(declared), deadline), timeout);
        } catch (io.faro.core.FaroException e) { // an ExtractionException, or interrupted
            throw e;
        } catch (Exception e) {
            throw ParseFailures.classify(e, format);
        }
        if (text.sections().isEmpty()) {
            throw new ExtractionException(ExtractionException.Reason.EMPTY, "the " + format + " holds no text"
                    + (format == DocumentFormat.PDF ? " (a scanned PDF needs OCR, which FARO does not do)" : ""));
        }
        return text;
    }

    private ExtractedText parse(byte[] bytes, DocumentFormat format, Optional<String> declared, long deadline) {
        StructureHandler handler = null;
        try {
            if (format.isPlainText()) {
                String text = decode(bytes, declared.flatMap(DocumentFormat::charset));
                if (text.length() > limits.maxExtractedChars()) {
                    throw new ExtractionException(ExtractionException.Reason.TOO_LARGE, "the text runs past "
                            + limits.maxExtractedChars() + " characters (FARO_MAX_EXTRACTED_CHARS)");
                }
                return format == DocumentFormat.MARKDOWN ? MarkdownSections.of(text, limits.maxExtractedChars())
                        : new ExtractedText(text.isBlank() ? List.of() : List.of(new Section(text.strip(), ChunkLocation.NONE)));
            }
            if (format == DocumentFormat.DOCX || format == DocumentFormat.PPTX || format == DocumentFormat.XLSX) {
                OfficeEncryption.refuseEncrypted(bytes, format);
            }
            handler = new StructureHandler(StructureHandler.structureOf(format), limits.maxExtractedChars(), deadline);
            Metadata metadata = new Metadata();
            metadata.set(Metadata.CONTENT_TYPE, declared.orElse(format.mimeType()));
            try (TikaInputStream in = TikaInputStream.get(bytes)) {
                SecureContentHandler secure = new SecureContentHandler(handler, in);
                secure.setMaximumCompressionRatio(limits.maxCompressionRatio());
                try {
                    parser(format).parse(in, secure, metadata, context());
                } catch (SAXException e) {
                    secure.throwIfCauseOf(e);
                    throw e;
                }
            }
            StructureHandler done = handler;
            handler.stopped().ifPresent(stop -> {
                throw new ExtractionException(stop.reason(), stop.getMessage());
            });
            return done.text();
        } catch (ExtractionException e) {
            throw e;
        } catch (Throwable t) { // a parser's StackOverflowError or OutOfMemoryError is this document's fault too
            if (handler != null && handler.stopped().isPresent()) {
                throw new ExtractionException(handler.stopped().get().reason(), handler.stopped().get().getMessage(), t);
            }
            throw ParseFailures.classify(t, format);
        }
    }

    private Parser parser(DocumentFormat format) {
        return switch (format) {
            case PDF -> pdf;
            case DOCX, PPTX, XLSX -> ooxml;
            case HTML -> html;
            case MARKDOWN, TEXT -> throw new IllegalArgumentException(format + " is read without a parser");
        };
    }

    private static ParseContext context() {
        PDFParserConfig pdfConfig = new PDFParserConfig();
        pdfConfig.setCatchIntermediateIOExceptions(false); // stop at the first broken page, or at our own stop
        pdfConfig.setExtractInlineImages(false);
        pdfConfig.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        OfficeParserConfig officeConfig = new OfficeParserConfig();
        officeConfig.setIncludeSlideMasterContent(false);
        officeConfig.setIncludeSlideNotes(true);
        officeConfig.setIncludeHeadersAndFooters(false); // the same lines on every page, noise for search
        officeConfig.setIncludeDeletedContent(false);
        officeConfig.setExtractMacros(false);
        ParseContext context = new ParseContext();
        context.set(PDFParserConfig.class, pdfConfig);
        context.set(OfficeParserConfig.class, officeConfig);
        return context;
    }

    private DocumentFormat declaredFormat(String contentType) {
        return DocumentFormat.ofContentType(contentType).orElseThrow(() -> new ExtractionException(
                ExtractionException.Reason.UNSUPPORTED, "content type '" + DocumentFormat.baseType(contentType)
                + "' is not one FARO extracts text from; it reads " + supported()));
    }

    private DocumentFormat detectedFormat(byte[] bytes) {
        String detected;
        try (TikaInputStream in = TikaInputStream.get(bytes)) {
            detected = detector.detect(in, new Metadata()).getBaseType().toString();
        } catch (IOException e) {
            throw new ExtractionException(ExtractionException.Reason.CORRUPT, "the content's type cannot be detected: "
                    + e.getMessage(), e);
        }
        return DocumentFormat.ofContentType(detected).orElseThrow(() -> new ExtractionException(
                ExtractionException.Reason.UNSUPPORTED, "the content looks like '" + detected
                + "', which FARO does not extract text from; it reads " + supported()));
    }

    private static String supported() {
        return Arrays.stream(DocumentFormat.values()).map(DocumentFormat::mimeType).collect(Collectors.joining(", "));
    }

    /** In the declared charset, else UTF-8 when the bytes are valid UTF-8, else what Tika's detectors find. */
    private static String decode(byte[] bytes, Optional<String> charset) throws IOException, org.apache.tika.exception.TikaException {
        if (charset.isPresent()) {
            try {
                return Charset.forName(charset.get()).newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new ExtractionException(ExtractionException.Reason.UNSUPPORTED, "charset '" + charset.get()
                        + "' is not known", e);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            try (Reader reader = new AutoDetectReader(new ByteArrayInputStream(bytes))) {
                StringWriter out = new StringWriter();
                reader.transferTo(out);
                return out.toString();
            }
        }
    }
}
