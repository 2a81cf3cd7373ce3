package io.faro.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkLocationTest {

    @Test
    void shouldDescribePagesSlidesSheetsAndHeadingPaths() {
        assertThat(ChunkLocation.page(4).describe()).contains("page 4");
        assertThat(ChunkLocation.page(4).through(ChunkLocation.page(5)).describe()).contains("pages 4–5");
        assertThat(ChunkLocation.slide(2).describe()).contains("slide 2");
        assertThat(ChunkLocation.sheet("Revenue").describe()).contains("sheet Revenue");
        assertThat(ChunkLocation.headings(List.of("Setup", "Networking")).describe()).contains("Setup › Networking");
        assertThat(ChunkLocation.page(3).withHeadings(List.of("Intro")).describe()).contains("page 3, Intro");
        assertThat(ChunkLocation.NONE.describe()).isEmpty();
    }

    @Test
    void shouldSurviveTheRoundTripThroughJsonMetadataAsTheStoresReturnIt() throws Exception {
        ChunkLocation location = ChunkLocation.page(2).through(ChunkLocation.page(3)).withHeadings(List.of("A", "B"));
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("lang", "en"));
        metadata.putAll(location.toMetadata());

        @SuppressWarnings("unchecked")
        Map<String, Object> stored = Json.mapper().readValue(Json.mapper().writeValueAsBytes(metadata), Map.class);

        assertThat(ChunkLocation.fromMetadata(stored)).isEqualTo(location);
        assertThat(hit(stored).location()).contains("pages 2–3, A › B");
    }

    @Test
    void shouldIgnoreMistypedOrMissingEntries() {
        Map<String, Object> metadata = Map.of("page", "four", "slide", 0, "headings", "not a list", "sheet", " ");

        assertThat(ChunkLocation.fromMetadata(metadata)).isEqualTo(ChunkLocation.NONE);
        assertThat(ChunkLocation.fromMetadata(Map.of("page", 7.0)).page()).isEqualTo(Optional.of(7));
    }

    private static SearchHit hit(Map<String, Object> metadata) {
        return new SearchHit("d", "d#0", 0, "t", "text", metadata, 0.9, "m");
    }
}
