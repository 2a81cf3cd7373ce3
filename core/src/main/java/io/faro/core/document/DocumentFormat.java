package io.faro.core.document;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats FARO extracts text from: their MIME types (the one publishers send, and the aliases also
 * accepted) and file extensions. The one place that says what is supported, for the ingest (which extracts
 * them in the documents module), {@code faro publish} and the gateway's uploads alike; here in core so that
 * knowing the list does not bring the parsers along.
 */
public enum DocumentFormat {
    PDF("application/pdf", List.of("application/x-pdf"), List.of(".pdf")),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", List.of(), List.of(".docx")),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", List.of(), List.of(".pptx")),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", List.of(), List.of(".xlsx")),
    HTML("text/html", List.of("application/xhtml+xml"), List.of(".html", ".htm", ".xhtml")),
    MARKDOWN("text/markdown", List.of("text/x-markdown", "text/x-web-markdown"), List.of(".md", ".markdown")),
    TEXT("text/plain", List.of(), List.of(".txt", ".text"));

    /** Says "detect the type from the bytes". */
    public static final String OCTET_STREAM = "application/octet-stream";

    private final String mimeType;
    private final List<String> aliases;
    private final List<String> extensions;

    DocumentFormat(String mimeType, List<String> aliases, List<String> extensions) {
        this.mimeType = mimeType;
        this.aliases = aliases;
        this.extensions = extensions;
    }

    public String mimeType() {
        return mimeType;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** Text and Markdown are decoded as they are; the others go through a Tika parser. */
    public boolean isPlainText() {
        return this == TEXT || this == MARKDOWN;
    }

    /** The format of a content type, parameters ({@code ; charset=...}) and case aside. */
    public static Optional<DocumentFormat> ofContentType(String contentType) {
        String base = baseType(contentType);
        return Arrays.stream(values()).filter(f -> f.mimeType.equals(base) || f.aliases.contains(base)).findFirst();
    }

    /** The format a file name's extension stands for. */
    public static Optional<DocumentFormat> ofFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extensions.stream().anyMatch(name::endsWith)).findFirst();
    }

    /** Every extension of a supported format. */
    public static List<String> allExtensions() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).toList();
    }

    /** The MIME type of every format, in the order messages list them. */
    public static List<String> mimeTypes() {
        return Arrays.stream(values()).map(DocumentFormat::mimeType).toList();
    }

    /** {@code text/html; charset=utf-8} is {@code text/html}. */
    public static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The {@code charset} parameter of a content type, if it has one. */
    public static Optional<String> charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                return Optional.of(pair[1].strip().replace("\"", "")).filter(s -> !s.isEmpty());
            }
        }
        return Optional.empty();
    }
}
