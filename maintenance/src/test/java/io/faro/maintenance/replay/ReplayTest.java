package io.faro.maintenance.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static List<Map<String, byte[]>> records(int count) {
        return Collections.nCopies(count, Map.of("a#0", new byte[] {1}));
    }

    @Test
    void shouldPassUntilAPassReadsFewerRecordsThanTheQuietThreshold() {
        // given a topic whose passes find 7, 3, then 1 record, and a threshold of 2
        List<String> log = new ArrayList<>();
        Replay replay = new ScriptedReplay(log, List.of(records(7), records(3), records(1), records(5)));

        // when
        long read = replay.passUntilQuiet("replay", 2, 5, batch -> { });

        // then it stops after the quiet third pass
        assertThat(read).isEqualTo(11);
        assertThat(log).containsExactly("pass replay", "pass replay", "pass replay");
    }

    @Test
    void shouldStopAfterTheMostPassesWhenTrafficNeverQuietens() {
        // given a topic that finds 4 new records on every pass
        List<String> log = new ArrayList<>();
        Replay replay = new ScriptedReplay(log, Collections.nCopies(10, records(4)));

        // when
        long read = replay.passUntilQuiet("catch up", 1, 3, batch -> { });

        // then it gives up waiting for quiet after three passes
        assertThat(read).isEqualTo(12);
        assertThat(log).hasSize(3);
    }
}
