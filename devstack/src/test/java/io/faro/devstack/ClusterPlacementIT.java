package io.faro.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faro.devstack.testing.TestDirs;
import io.faro.devstack.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a FARO_HOME's cluster goes when FARO runs as root, and the {@code postgres} user, which runs the
 * server, cannot enter FARO_HOME. Needs root and a {@code postgres} user; places directories, starts no server.
 */
class ClusterPlacementIT {

    private final ServerUser user = ServerUser.forThisProcess();
    private final List<Path> made = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        assumeTrue(user.isPostgres(), "ClusterPlacementIT checks what happens as root: run the tests as root");
    }

    @AfterEach
    void removeWhatWasMade() {
        made.forEach(TestDirs::deleteRecursively);
    }

    @Test
    void shouldPutTheClusterUnderThePostgresUsersHomeWhenItCannotEnterFaroHome() throws IOException {
        // given a FARO_HOME inside a directory only root may enter, as mktemp -d makes
        Path home = lockedDir().resolve(".faro");

        // when its cluster is placed
        Path dataDir = place(home);

        // then it is under the postgres user's home, that user's own, and FARO_HOME links to it
        assertThat(dataDir).startsWith(ServerUser.postgresHome().resolve("faro"));
        assertThat(Files.getOwner(dataDir, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("postgres");
        assertThat(user.succeeds(List.of("test", "-w", dataDir.toString()))).isTrue();
        assertThat(Files.readSymbolicLink(home.resolve("postgres"))).isEqualTo(dataDir);
    }

    @Test
    void shouldFindTheSameClusterWhenTheSameFaroHomeStartsAgain() throws IOException {
        Path home = lockedDir().resolve(".faro");
        Path first = place(home);
        Files.writeString(first.resolve("PG_VERSION"), "15\n");

        Path again = place(home);

        assertThat(again).isEqualTo(first);
        assertThat(again.resolve("PG_VERSION")).exists();
    }

    @Test
    void shouldStartAfreshWhenFaroHomeWasDeletedAndMadeAgainAtTheSamePath() throws IOException {
        // given the cluster of a FARO_HOME that was then deleted, Kafka log and link with it
        Path home = lockedDir().resolve(".faro");
        Path first = place(home);
        Files.writeString(first.resolve("PG_VERSION"), "15\n");
        Files.delete(home.resolve("postgres"));
        Files.delete(home);

        // when a new FARO_HOME at the same path is placed
        Path again = place(home);

        // then it gets the same place, emptied: no documents that the new Kafka log never saw
        assertThat(again).isEqualTo(first);
        assertThat(again.resolve("PG_VERSION")).doesNotExist();
    }

    @Test
    void shouldKeepTheClusterInFaroHomeWhenThePostgresUserCanEnterIt() {
        Path home = TestPostgres.tempDirOthersCanEnter("faro-placement-").resolve(".faro");
        made.add(home.getParent());

        assertThat(place(home)).isEqualTo(home.resolve("postgres"));
    }

    private Path place(Path home) {
        Path dataDir = ClusterPlacement.dataDirFor(home, user);
        made.add(dataDir);
        return dataDir;
    }

    private Path lockedDir() throws IOException {
        Path dir = Files.createTempDirectory("faro-locked-");
        made.add(dir);
        assertThat(user.canEnter(dir)).as("the postgres user enters %s", dir).isFalse();
        return dir;
    }
}
