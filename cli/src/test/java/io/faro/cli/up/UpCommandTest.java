package io.faro.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpCommandTest {

    @Test
    void shouldSayWhereThePrivateClusterKeepsItsData() {
        String line = UpCommand.readyLine("http://localhost:8080", "localhost:9092",
                "postgresql://faro@localhost:5433/postgres", Optional.of(Path.of("/var/lib/postgresql/faro/x-1")));

        assertThat(line).isEqualTo("FARO is ready: gateway http://localhost:8080, Kafka localhost:9092, PostgreSQL"
                + " postgresql://faro@localhost:5433/postgres (data in /var/lib/postgresql/faro/x-1) (Ctrl-C to stop)");
    }

    @Test
    void shouldNotMentionDataOfAPostgresqlFaroDoesNotRun() {
        String line = UpCommand.readyLine("http://localhost:8080", "localhost:9092", "postgresql://faro@db:5432/faro",
                Optional.empty());

        assertThat(line).doesNotContain("data in");
    }

    @Test
    void shouldSayWhereTheConsoleIsAndHowToTurnItOff() {
        String line = UpCommand.consoleLine("http://localhost:8080");

        assertThat(line).isEqualTo("console: open http://localhost:8080/ in a browser (FARO_CONSOLE=false turns it off)");
    }

    @Test
    void shouldSayThatAuthenticationIsOffAndHowToTurnItOn() {
        String line = UpCommand.authOffLine("http://localhost:8080");

        assertThat(line).startsWith("authentication is off").contains("http://localhost:8080")
                .contains("FARO_API_KEYS_FILE");
    }
}
