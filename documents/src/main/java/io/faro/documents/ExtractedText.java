package io.faro.documents;

import java.util.List;

/** A document's text, in reading order, cut where its location changes. */
public record ExtractedText(List<Section> sections) {

    public ExtractedText {
        sections = List.copyOf(sections);
    }

    public int characters() {
        return sections.stream().mapToInt(s -> s.text().length()).sum();
    }
}
