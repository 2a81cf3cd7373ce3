package io.faro.documents;

import io.faro.core.document.DocumentFormat;
import io.faro.core.model.ChunkLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the XHTML a Tika parser writes and keeps where the text lies: Tika opens a {@code <div class="page">}
 * per PDF page, a {@code <div class="slide-content">} per slide, a {@code <div class="sheet">} with the sheet's
 * name in an {@code <h1>} per worksheet, and {@code <h1>}..{@code <h6>} for the headings of Word and HTML.
 * Block elements become paragraph breaks, table cells are kept apart by spaces. Every callback checks the
 * deadline, and the text counts against the character limit, so a runaway parse stops at its next callback.
 */
final class StructureHandler extends DefaultHandler {

    /** Which of Tika's marks starts a new location. */
    enum Structure { PAGES, SLIDES, SHEETS, HEADINGS }

    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "ul", "ol", "tr", "table", "blockquote",
            "pre", "dl", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "figure",
            "figcaption", "hr", "address", "main", "form", "fieldset", "caption");
    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template");

    private final Structure structure;
    private final Sections sections;
    private final long deadlineNanos;
    private final List<String> path = new ArrayList<>();
    private boolean inBody;
    private int skipDepth;
    private StringBuilder heading;
    private int headingLevel;
    private boolean expectSheetName;
    private int pages;
    private int slides;
    private Stop stopped;

    StructureHandler(Structure structure, int maxChars, long deadlineNanos) {
        this.structure = structure;
        this.sections = new Sections(maxChars, true);
        this.deadlineNanos = deadlineNanos;
    }

    static Structure structureOf(DocumentFormat format) {
        return switch (format) {
            case PDF -> Structure.PAGES;
            case PPTX -> Structure.SLIDES;
            case XLSX -> Structure.SHEETS;
            default -> Structure.HEADINGS;
        };
    }

    /** Why the parse was stopped from here, if it was: a parser may swallow the exception and go on. */
    Optional<Stop> stopped() {
        return Optional.ofNullable(stopped);
    }

    ExtractedText text() {
        return sections.finish();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        check();
        String name = name(localName, qName);
        if (name.equals("body")) {
            inBody = true;
            return;
        }
        if (!inBody) {
            return;
        }
        if (skipDepth > 0 || SKIPPED.contains(name)) {
            skipDepth++;
            return;
        }
        String cls = atts.getValue("class");
        if (name.equals("div") && startsLocation(cls)) {
            return;
        }
        int level = headingLevel(name);
        if (level > 0 && (structure == Structure.HEADINGS || (expectSheetName && level == 1))) {
            heading = new StringBuilder();
            headingLevel = level;
            return;
        }
        if (BLOCKS.contains(name) || level > 0) {
            paragraphBreak();
        } else if (name.equals("td") || name.equals("th")) {
            if (!sections.endsWithSpace()) {
                append(" ");
            }
        } else if (name.equals("br")) {
            append("\n");
        }
    }

    private boolean startsLocation(String cls) throws SAXException {
        if (structure == Structure.PAGES && "page".equals(cls)) {
            start(ChunkLocation.page(++pages), "");
        } else if (structure == Structure.SLIDES && "slide-content".equals(cls)) {
            start(ChunkLocation.slide(++slides), "");
        } else if (structure == Structure.SLIDES && "slide-master-content".equals(cls)) {
            skipDepth++; // the layout's placeholder text, the same on every slide
        } else if (structure == Structure.SHEETS && "sheet".equals(cls)) {
            start(ChunkLocation.NONE, "");
            expectSheetName = true;
        } else {
            return false;
        }
        return true;
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        check();
        String name = name(localName, qName);
        if (!inBody) {
            return;
        }
        if (name.equals("body")) {
            inBody = false;
            return;
        }
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        if (heading != null && headingLevel(name) == headingLevel) {
            String text = heading.toString().replaceAll("\\s+", " ").strip();
            heading = null;
            if (expectSheetName) {
                expectSheetName = false;
                start(ChunkLocation.sheet(text), text + "\n\n");
            } else if (!text.isEmpty()) {
                while (path.size() >= headingLevel) {
                    path.removeLast();
                }
                path.add(text);
                start(ChunkLocation.headings(path), text + "\n\n");
            }
            return;
        }
        if (BLOCKS.contains(name) || headingLevel(name) > 0) {
            paragraphBreak();
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        check();
        if (!inBody || skipDepth > 0) {
            return;
        }
        if (heading != null) {
            heading.append(ch, start, length);
            return;
        }
        append(new String(ch, start, length));
    }

    private void paragraphBreak() throws SAXException {
        if (!sections.atLineStart()) {
            append("\n\n");
        }
    }

    private void start(ChunkLocation location, String lead) throws SAXException {
        try {
            sections.start(location, lead);
        } catch (Sections.LimitReached e) {
            throw stop(ExtractionException.Reason.TOO_LARGE, e.getMessage());
        }
    }

    private void append(String text) throws SAXException {
        try {
            sections.append(text);
        } catch (Sections.LimitReached e) {
            throw stop(ExtractionException.Reason.TOO_LARGE, e.getMessage());
        }
    }

    private void check() throws SAXException {
        if (stopped != null) {
            throw stopped;
        }
        if (System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted()) {
            throw stop(ExtractionException.Reason.TIMEOUT, "parsing ran past its time limit (FARO_PARSE_TIMEOUT_MS)");
        }
    }

    private Stop stop(ExtractionException.Reason reason, String message) {
        stopped = new Stop(reason, message);
        return stopped;
    }

    private static String name(String localName, String qName) {
        return localName == null || localName.isEmpty() ? qName : localName;
    }

    private static int headingLevel(String name) {
        return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6'
                ? name.charAt(1) - '0' : 0;
    }

    /** The parse was stopped on purpose: too much text, or out of time. */
    static final class Stop extends SAXException {

        private final ExtractionException.Reason reason;

        Stop(ExtractionException.Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        ExtractionException.Reason reason() {
            return reason;
        }
    }
}
