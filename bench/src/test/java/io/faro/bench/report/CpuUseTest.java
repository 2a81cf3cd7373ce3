package io.faro.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuUseTest {

    @Test
    void shouldCountAllButIdleAndIowaitAsBusyAndLeaveGuestTimeOut() {
        // user nice system idle iowait irq softirq steal guest guest_nice: guest is within user already
        long[] jiffies = CpuUse.parse("cpu  100 5 40 800 20 3 2 1 50 7");

        assertThat(jiffies).containsExactly(151, 971);
    }

    @Test
    void shouldRefuseALineThatIsNotTheTotal() {
        assertThatThrownBy(() -> CpuUse.parse("cpu0 1 2 3 4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu0");
    }

    @Test
    void shouldSayUnknownWhereTheMachinesCountersCannotBeRead() {
        CpuUse start = new CpuUse(0, 0, -1, -1);
        CpuUse end = new CpuUse(1_000_000_000L, 500_000_000L, -1, -1);

        assertThat(end.coresSince(start)).isEqualTo(new CpuUse.Cores(-1, 0.5));
    }

    @Test
    void shouldSeeThisJvmBusyWhileItSpins() {
        CpuUse start = CpuUse.now();
        long until = System.nanoTime() + 200_000_000L;
        long spins = 0;
        while (System.nanoTime() < until) {
            spins++;
        }
        CpuUse.Cores cores = CpuUse.now().coresSince(start);

        assertThat(spins).isPositive();
        assertThat(cores.jvm()).isGreaterThan(0.1);
        assertThat(cores.machine()).isGreaterThanOrEqualTo(cores.jvm() - 0.3);
    }
}
