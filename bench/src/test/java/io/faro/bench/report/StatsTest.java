package io.faro.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void shouldTakeTheMiddleValueOrTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void shouldTakeTheMedianOfEachRunsRatioNotTheRatioOfTheMedians() {
        // run 2's machine was slow for both figures, run 3's fast for both: ratios 0.50, 0.70, 0.80
        List<Double> pipeline = List.of(400.0, 350.0, 640.0);
        List<Double> raw = List.of(800.0, 500.0, 800.0);

        assertThat(Stats.medianRatio(pipeline, raw)).isCloseTo(0.70, within(1e-12));
        // the medians, 400 and 800, come from different runs
        assertThat(Stats.median(pipeline) / Stats.median(raw)).isCloseTo(0.50, within(1e-12));
        assertThatThrownBy(() -> Stats.medianRatio(pipeline, List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 1");
    }

    @Test
    void shouldTakePercentilesByNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }

        assertThat(Stats.percentile(values, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 95)).isEqualTo(95);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 100)).isEqualTo(100);
        assertThat(Stats.percentile(new double[] {7}, 99)).isEqualTo(7);
    }
}
