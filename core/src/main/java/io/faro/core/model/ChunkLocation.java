package io.faro.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where in its document a chunk lies: the page (or page range) of a PDF, the slide of a deck, the sheet of a
 * workbook, the heading path of an HTML page, a Markdown text or a Word file. It travels in the chunk's
 * metadata under the keys below, so that it reaches both stores and every search hit unchanged, and it is
 * shown with hits and citations as {@link #describe()} spells it ("page 4", "Setup › Networking"). This class
 * is the one place that knows the keys and the wording.
 *
 * @param page      the page the chunk starts on, from 1
 * @param pageEnd   the page it ends on, when that is a later one
 * @param slide     the slide it starts on, from 1
 * @param slideEnd  the slide it ends on, when that is a later one
 * @param sheet     the workbook sheet's name
 * @param headings  the headings above the chunk, outermost first
 */
public record ChunkLocation(Optional<Integer> page, Optional<Integer> pageEnd, Optional<Integer> slide,
                            Optional<Integer> slideEnd, Optional<String> sheet, List<String> headings) {

    public static final String PAGE = "page";
    public static final String PAGE_END = "page_end";
    public static final String SLIDE = "slide";
    public static final String SLIDE_END = "slide_end";
    public static final String SHEET = "sheet";
    public static final String HEADINGS = "headings";
    /** Every key a location may write into a chunk's metadata. */
    public static final List<String> KEYS = List.of(PAGE, PAGE_END, SLIDE, SLIDE_END, SHEET, HEADINGS);

    /** Between headings of a path: "Setup › Networking". */
    public static final String HEADING_SEPARATOR = " › ";

    public static final ChunkLocation NONE = new ChunkLocation(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of());

    public ChunkLocation {
        pageEnd = pageEnd.filter(end -> page.isPresent() && end > page.get());
        slideEnd = slideEnd.filter(end -> slide.isPresent() && end > slide.get());
        headings = List.copyOf(headings);
    }

    public static ChunkLocation page(int page) {
        return NONE.withPage(page);
    }

    public static ChunkLocation slide(int slide) {
        return new ChunkLocation(Optional.empty(), Optional.empty(), Optional.of(slide), Optional.empty(),
                Optional.empty(), List.of());
    }

    public static ChunkLocation sheet(String sheet) {
        return new ChunkLocation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(sheet), List.of());
    }

    public static ChunkLocation headings(List<String> headings) {
        return NONE.withHeadings(headings);
    }

    public ChunkLocation withPage(int page) {
        return new ChunkLocation(Optional.of(page), Optional.empty(), slide, slideEnd, sheet, headings);
    }

    public ChunkLocation withHeadings(List<String> headings) {
        return new ChunkLocation(page, pageEnd, slide, slideEnd, sheet, headings);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * Whether a chunk may run on from this location into {@code next}: within one sheet and one heading path,
     * across pages or slides (the chunk then carries the range).
     */
    public boolean continuesInto(ChunkLocation next) {
        return sheet.equals(next.sheet) && headings.equals(next.headings)
                && page.isPresent() == next.page.isPresent() && slide.isPresent() == next.slide.isPresent();
    }

    /** This location stretched to end where {@code last} ends: pages 3 to 4, slides 2 to 3. */
    public ChunkLocation through(ChunkLocation last) {
        return new ChunkLocation(page, last.pageEnd.or(() -> last.page), slide, last.slideEnd.or(() -> last.slide),
                sheet, headings);
    }

    /** The metadata entries of this location (none for an empty one). */
    public Map<String, Object> toMetadata() {
        Map<String, Object> entries = new LinkedHashMap<>();
        page.ifPresent(p -> entries.put(PAGE, p));
        pageEnd.ifPresent(p -> entries.put(PAGE_END, p));
        slide.ifPresent(s -> entries.put(SLIDE, s));
        slideEnd.ifPresent(s -> entries.put(SLIDE_END, s));
        sheet.ifPresent(s -> entries.put(SHEET, s));
        if (!headings.isEmpty()) {
            entries.put(HEADINGS, headings);
        }
        return entries;
    }

    /** The location a chunk's metadata holds; whatever is missing or mistyped there is left out. */
    public static ChunkLocation fromMetadata(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return NONE;
        }
        return new ChunkLocation(number(metadata.get(PAGE)), number(metadata.get(PAGE_END)),
                number(metadata.get(SLIDE)), number(metadata.get(SLIDE_END)),
                metadata.get(SHEET) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty(),
                metadata.get(HEADINGS) instanceof List<?> list
                        ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of());
    }

    /** How a reader sees it: "page 4", "pages 4–5", "slide 2", "sheet Revenue", "Setup › Networking". */
    public Optional<String> describe() {
        List<String> parts = new ArrayList<>(3);
        page.ifPresent(p -> parts.add(pageEnd.map(end -> "pages " + p + "–" + end).orElse("page " + p)));
        slide.ifPresent(s -> parts.add(slideEnd.map(end -> "slides " + s + "–" + end).orElse("slide " + s)));
        sheet.ifPresent(s -> parts.add("sheet " + s));
        if (!headings.isEmpty()) {
            parts.add(String.join(HEADING_SEPARATOR, headings));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    /** The description of the location a chunk's metadata holds, if any. */
    public static Optional<String> describe(Map<String, Object> metadata) {
        return fromMetadata(metadata).describe();
    }

    /**
     * A chunk's text with the document's title and the headings above it on a line before it, as
     * {@link Chunk#contextText()} and {@link SearchHit#contextText()} give it.
     */
    static String contextText(String title, String text, Map<String, Object> metadata) {
        List<String> path = new ArrayList<>();
        if (title != null && !title.isBlank()) {
            path.add(title.strip());
        }
        for (String heading : fromMetadata(metadata).headings()) {
            if (!heading.isBlank() && !path.contains(heading.strip())) {
                path.add(heading.strip());
            }
        }
        return path.isEmpty() ? text : String.join(HEADING_SEPARATOR, path) + "\n\n" + text;
    }

    private static Optional<Integer> number(Object value) {
        return value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() > 0
                ? Optional.of(n.intValue()) : Optional.empty();
    }
}
