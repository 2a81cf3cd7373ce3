package io.faro.core.document;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The formats FARO takes as a document's content ({@code content_type} of an inline document, or the
 * {@code Content-Type} of an upload), each by its media type. The one list: what the gateway accepts for
 * upload is what document parsing extracts text from.
 */
public final class ContentTypes {

    public static final String PDF = "application/pdf";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String PLAIN_TEXT = "text/plain";

    /** Every accepted media type, in the order error messages list them. */
    public static final List<String> ACCEPTED = List.of(PDF, DOCX, PPTX, XLSX, HTML, MARKDOWN, PLAIN_TEXT);

    /** The formats whose bytes are the document's text itself: published as {@code text}, not as bytes. */
    public static final List<String> TEXT = List.of(MARKDOWN, PLAIN_TEXT);

    /** The accepted formats by file name extension, for files that come without a media type. */
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("pdf", PDF), Map.entry("docx", DOCX), Map.entry("pptx", PPTX), Map.entry("xlsx", XLSX),
            Map.entry("html", HTML), Map.entry("htm", HTML), Map.entry("md", MARKDOWN), Map.entry("markdown", MARKDOWN),
            Map.entry("txt", PLAIN_TEXT), Map.entry("text", PLAIN_TEXT));

    private ContentTypes() {
    }

    /**
     * The accepted media type a {@code Content-Type} value names, without its parameters ({@code charset}),
     * in lower case; empty when FARO does not take that format.
     */
    public static Optional<String> accepted(String contentType) {
        String media = mediaType(contentType);
        return ACCEPTED.contains(media) ? Optional.of(media) : Optional.empty();
    }

    /** The accepted format a file name's extension stands for ({@code Report.PDF}: {@code application/pdf}). */
    public static Optional<String> ofFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    public static boolean isText(String mediaType) {
        return TEXT.contains(mediaType(mediaType));
    }

    /** {@code Text/HTML; charset=UTF-8} as {@code text/html}. */
    public static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
