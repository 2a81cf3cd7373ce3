package io.faro.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunningFaroTest {

    @Test
    void countsAgainSoonWhileNothingHasArrivedYet() {
        assertThat(RunningFaro.untilNextCount(0, 10_000, Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void countsRarelyFarFromTheEnd() {
        // 1000 chunks in 2 s: the 9000 left take 18 s
        assertThat(RunningFaro.untilNextCount(1000, 9000, Duration.ofSeconds(2)))
                .isEqualTo(RunningFaro.MOST_BETWEEN_COUNTS);
    }

    @Test
    void waitsHalfTheTimeLeftNearTheEnd() {
        // 1000 chunks in 2 s: the 100 left take 200 ms
        assertThat(RunningFaro.untilNextCount(1000, 100, Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void countsNoMoreOftenThanItsPrecisionAtTheEnd() {
        assertThat(RunningFaro.untilNextCount(1000, 5, Duration.ofSeconds(2)))
                .isEqualTo(RunningFaro.LEAST_BETWEEN_COUNTS);
    }
}
