package io.faro.documents;

import io.faro.core.model.ChunkLocation;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Cuts Markdown at its headings (ATX and setext, found by CommonMark's parser, so a {@code #} inside a code block
 * is not one) into sections that carry their heading path. The text stays as written: each section is the
 * source from its heading to the next one.
 */
public final class MarkdownSections {

    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    private MarkdownSections() {
    }

    public static ExtractedText of(String markdown, int maxChars) {
        Sections sections = new Sections(maxChars, false);
        List<String> path = new ArrayList<>();
        int from = 0;
        for (Node block = PARSER.parse(markdown).getFirstChild(); block != null; block = block.getNext()) {
            if (!(block instanceof Heading heading) || block.getSourceSpans().isEmpty()) {
                continue;
            }
            SourceSpan first = block.getSourceSpans().getFirst();
            SourceSpan last = block.getSourceSpans().getLast();
            int start = first.getInputIndex() - first.getColumnIndex();
            int end = Math.min(markdown.length(), last.getInputIndex() + last.getLength());
            sections.append(markdown.substring(from, start));
            while (path.size() >= heading.getLevel()) {
                path.removeLast();
            }
            while (path.size() < heading.getLevel() - 1) {
                path.add(""); // a level skipped (# A then ### C): kept as a gap, then dropped below
            }
            path.add(textOf(heading));
            sections.start(ChunkLocation.headings(path.stream().filter(h -> !h.isBlank()).toList()),
                    markdown.substring(start, end));
            from = end;
        }
        sections.append(markdown.substring(from));
        return sections.finish();
    }

    private static String textOf(Node node) {
        StringBuilder text = new StringBuilder();
        collect(node, text);
        return text.toString().strip();
    }

    private static void collect(Node node, StringBuilder text) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Text t) {
                text.append(t.getLiteral());
            } else if (child instanceof Code code) {
                text.append(code.getLiteral());
            } else {
                collect(child, text);
            }
        }
    }
}
