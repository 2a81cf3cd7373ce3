package io.faro.bench.report;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the CPU went during a phase of a benchmark: the whole machine's (Linux's {@code /proc/stat}) and this
 * JVM's. On a machine running nothing else, the machine's less the JVM's is the database's; a phase whose machine
 * figure is near the core count was CPU-bound, and the JVM's share says how much of that was FARO's (with the
 * embedded broker). {@code machineBusy} and {@code machineTotal} are jiffies of all cores, -1 where {@code /proc/stat}
 * cannot be read.
 */
public record CpuUse(long wallNanos, long jvmCpuNanos, long machineBusy, long machineTotal) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The counters now; {@link #coresSince} turns two of them into cores busy. */
    public static CpuUse now() {
        long[] machine = machineJiffies();
        return new CpuUse(System.nanoTime(),
                ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
                machine[0], machine[1]);
    }

    /** Cores busy since {@code start}: the machine's (-1 where unknown, as the load average) and this JVM's. */
    public Cores coresSince(CpuUse start) {
        double seconds = (wallNanos - start.wallNanos) / 1e9;
        double jvm = (jvmCpuNanos - start.jvmCpuNanos) / 1e9 / seconds;
        double machine = -1;
        if (machineTotal > start.machineTotal && start.machineBusy >= 0) {
            double busyShare = (double) (machineBusy - start.machineBusy) / (machineTotal - start.machineTotal);
            machine = Stats.round(busyShare * Runtime.getRuntime().availableProcessors(), 2);
        }
        return new Cores(machine, Stats.round(jvm, 2));
    }

    /** Cores busy on average over a phase. */
    public record Cores(double machine, double jvm) {
    }

    /**
     * The first line of {@code /proc/stat}: user, nice, system, idle, iowait, irq, softirq, steal (guest time is
     * within user). Busy is all of them but idle and iowait.
     */
    static long[] machineJiffies() {
        try {
            String line = Files.readAllLines(PROC_STAT).get(0);
            return parse(line);
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    static long[] parse(String cpuLine) {
        if (!cpuLine.startsWith("cpu ")) {
            throw new IllegalArgumentException("not the total cpu line of /proc/stat: " + cpuLine);
        }
        long[] fields = Arrays.stream(cpuLine.substring(4).trim().split("\\s+")).limit(8)
                .mapToLong(Long::parseLong).toArray();
        long total = Arrays.stream(fields).sum();
        long idle = fields[3] + (fields.length > 4 ? fields[4] : 0);
        return new long[] {total - idle, total};
    }
}
