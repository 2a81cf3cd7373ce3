package io.faro.bench.data;

import io.faro.core.model.Document;
import io.faro.documents.samples.SampleFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The same paragraphs as {@link Corpus}, grouped {@code parts} to a document, once as text and once as files of
 * every format FARO reads, taking turns: a PDF (a paragraph per page), a Word file and an HTML page (a heading
 * per paragraph), a deck (a slide per paragraph), Markdown and plain text. So the two corpora hold the same text,
 * and only the format differs.
 */
public final class MixedCorpus {

    /** The formats in the order the mixed corpus takes them. */
    public static final List<String> FORMATS = List.of("pdf", "docx", "pptx", "html", "markdown", "text");

    private MixedCorpus() {
    }

    /** {@code count} text documents of {@code parts} paragraphs each, separated by blank lines. */
    public static List<Document> text(Squad squad, int count, int parts, String prefix) {
        List<Document> documents = new ArrayList<>(count);
        List<List<String>> groups = groups(squad, count, parts);
        for (int i = 0; i < count; i++) {
            documents.add(new Document(prefix + "-" + i, prefix + " " + i, String.join("\n\n", groups.get(i)),
                    Map.of("bench", prefix)));
        }
        return documents;
    }

    /** {@code count} documents of {@code parts} paragraphs each, the formats taking turns. */
    public static List<Document> mixed(Squad squad, int count, int parts, String prefix) {
        List<Document> documents = new ArrayList<>(count);
        List<List<String>> groups = groups(squad, count, parts);
        for (int i = 0; i < count; i++) {
            String format = FORMATS.get(i % FORMATS.size());
            documents.add(document(prefix + "-" + i + "." + format, format, groups.get(i), Map.of("bench", prefix)));
        }
        return documents;
    }

    /** One document of the paragraphs in the given format. */
    public static Document document(String id, String format, List<String> paragraphs, Map<String, Object> metadata) {
        return switch (format) {
            case "pdf" -> Document.inline(id, id, SampleFiles.pdf(paragraphs.toArray(String[]::new)), SampleFiles.PDF,
                    metadata);
            case "docx" -> Document.inline(id, id, SampleFiles.docx(withHeadings(paragraphs, "# Part ")), SampleFiles.DOCX,
                    metadata);
            case "pptx" -> Document.inline(id, id, SampleFiles.pptx(paragraphs.toArray(String[]::new)), SampleFiles.PPTX,
                    metadata);
            case "html" -> Document.inline(id, id, html(paragraphs), "text/html; charset=utf-8", metadata);
            case "markdown" -> Document.inline(id, id, String.join("\n\n", withHeadings(paragraphs, "# Part "))
                    .getBytes(StandardCharsets.UTF_8), "text/markdown", metadata);
            case "text" -> Document.inline(id, id, String.join("\n\n", paragraphs).getBytes(StandardCharsets.UTF_8),
                    "text/plain", metadata);
            default -> throw new IllegalArgumentException("no format " + format);
        };
    }

    private static String[] withHeadings(List<String> paragraphs, String heading) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < paragraphs.size(); i++) {
            blocks.add(heading + (i + 1));
            blocks.add(paragraphs.get(i));
        }
        return blocks.toArray(String[]::new);
    }

    private static byte[] html(List<String> paragraphs) {
        StringBuilder html = new StringBuilder("<html><head><title>bench</title></head><body>");
        for (int i = 0; i < paragraphs.size(); i++) {
            html.append("<h1>Part ").append(i + 1).append("</h1><p>").append(escape(paragraphs.get(i))).append("</p>");
        }
        return html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static List<List<String>> groups(Squad squad, int count, int parts) {
        List<String> paragraphs = new ArrayList<>();
        for (Squad.Article article : squad.articles()) {
            article.paragraphs().forEach(paragraph -> paragraphs.add(paragraph.context()));
        }
        List<List<String>> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> group = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                group.add(paragraphs.get((i * parts + p) % paragraphs.size()));
            }
            groups.add(group);
        }
        return groups;
    }
}
