package io.faro.documents;

import io.faro.core.model.ChunkLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects a document's text into sections as a parser walks it. A section that holds nothing but the heading
 * that opened it ("# Guide" right before "## Setup") is not kept on its own: its text leads into the next
 * section, so no chunk is a lone heading. Blank sections (an empty page) are dropped. Counts characters
 * against the limit as they come, so a document that expands without end is stopped early.
 */
final class Sections {

    private static final Pattern BLANK_LINES = Pattern.compile("[ \\t\\x0B\\f\\r]*\\n(?:[ \\t\\x0B\\f\\r]*\\n)+");
    private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t\\x0B\\f\\r]+\\n");

    private final int maxChars;
    private final boolean tidy;
    private final List<Section> done = new ArrayList<>();
    private StringBuilder text = new StringBuilder();
    private ChunkLocation location = ChunkLocation.NONE;
    private int leadLength;
    private long total;

    /** {@code tidy}: collapse runs of blank lines and trailing spaces, as parsers of page layouts leave them. */
    Sections(int maxChars, boolean tidy) {
        this.maxChars = maxChars;
        this.tidy = tidy;
    }

    /** Ends the current section and opens one at {@code next}, led by {@code lead} (its heading, or nothing). */
    void start(ChunkLocation next, String lead) {
        String body = text.substring(leadLength);
        StringBuilder carried = new StringBuilder();
        if (!body.isBlank()) {
            add(text.toString(), location);
        } else if (leadLength > 0) {
            carried.append(text);
        }
        text = carried;
        location = next;
        append(lead);
        leadLength = text.length();
    }

    /** The current location, to which text is being added. */
    ChunkLocation location() {
        return location;
    }

    void append(CharSequence chars) {
        total += chars.length();
        if (total > maxChars) {
            throw new LimitReached(maxChars);
        }
        text.append(chars);
    }

    /** Whether the current section's text ends with a line break (or is empty). */
    boolean atLineStart() {
        return text.isEmpty() || text.charAt(text.length() - 1) == '\n';
    }

    boolean endsWithSpace() {
        return text.isEmpty() || Character.isWhitespace(text.charAt(text.length() - 1));
    }

    ExtractedText finish() {
        if (!text.toString().isBlank()) {
            add(text.toString(), location);
        }
        return new ExtractedText(done);
    }

    private void add(String raw, ChunkLocation at) {
        String kept = tidy ? BLANK_LINES.matcher(TRAILING_SPACE.matcher(raw).replaceAll("\n")).replaceAll("\n\n").strip()
                : raw.strip();
        if (!kept.isEmpty()) {
            done.add(new Section(kept, at));
        }
    }

    /** More text than {@code FARO_MAX_EXTRACTED_CHARS}. */
    static final class LimitReached extends RuntimeException {

        LimitReached(int maxChars) {
            super("the text runs past " + maxChars + " characters (FARO_MAX_EXTRACTED_CHARS)", null, false, false);
        }
    }
}
