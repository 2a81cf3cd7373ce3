package io.faro.connectors.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.S3Location;
import io.faro.core.model.Chunk;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveLayoutTest {

    private final ArchiveLayout layout = new ArchiveLayout(new S3Location("faro", "chunks"));

    @Test
    void shouldPutAChunkUnderItsDocumentsFolderByIndex() {
        assertThat(layout.objectKey(Chunk.idOf("manuals/pump v2.pdf", 3)))
                .isEqualTo("chunks/manuals%2Fpump%20v2.pdf/3.json");
    }

    @Test
    void shouldTakeTheLastHashAsTheIndexSoThatIdsMayHoldHashes() {
        assertThat(layout.objectKey("notes#2024#12")).isEqualTo("chunks/notes%232024/12.json");
    }

    @Test
    void shouldKeepTheFolderOfADocumentTheSameForEveryChunk() {
        assertThat(ArchiveLayout.folderOf(layout.objectKey("s3://docs/a.pdf#0")))
                .isEqualTo(ArchiveLayout.folderOf(layout.objectKey("s3://docs/a.pdf#17")))
                .isEqualTo(layout.documentFolder("s3://docs/a.pdf"));
    }

    @Test
    void shouldEncodeDotFoldersThatToolsWouldTakeForPaths() {
        assertThat(layout.objectKey("..#0")).isEqualTo("chunks/%2E%2E/0.json");
    }

    @Test
    void shouldHashAnIdTooLongForAnS3Key() {
        // given: an id of 1000 characters that encoding makes three times as long
        String id = "é".repeat(1_000);

        // when
        String key = layout.objectKey(Chunk.idOf(id, 0));

        // then
        assertThat(key).matches("chunks/~sha256/[0-9a-f]{64}/0\\.json");
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1_024);
    }

    @Test
    void shouldPutAnArchiveWithoutPrefixAtTheBucketsRoot() {
        assertThat(new ArchiveLayout(new S3Location("faro", "")).objectKey("doc#1")).isEqualTo("doc/1.json");
    }

    @Test
    void shouldRefuseAChunkIdWithoutAnIndex() {
        assertThatThrownBy(() -> layout.objectKey("no-index")).hasMessageContaining("<document id>#<chunk index>");
        assertThatThrownBy(() -> layout.objectKey("doc#first")).hasMessageContaining("chunk index");
    }
}
