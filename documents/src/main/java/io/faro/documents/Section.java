package io.faro.documents;

import io.faro.core.model.ChunkLocation;
import java.util.Objects;

/** A stretch of a document's text that lies in one place: one page, one slide, one sheet, one heading's section. */
public record Section(String text, ChunkLocation location) {

    public Section {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(location, "location");
    }
}
