package io.faro.bench.report;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine a result was measured on. The load average at the start is there because a shared
 * machine (other builds running) measures slower, and a reader should see that.
 */
public record Machine(int cores, long memoryBytes, long maxHeapBytes, String cpu, String os, String jdkVendor,
                      String jdkVersion, String jvm, double loadAverageOneMinute) {

    public static Machine current() {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize(),
                Runtime.getRuntime().maxMemory(),
                cpuModel().orElse(System.getProperty("os.arch")),
                prettyOsName().orElse(System.getProperty("os.name")) + " (" + System.getProperty("os.name") + " "
                        + System.getProperty("os.version") + ", " + System.getProperty("os.arch") + ")",
                System.getProperty("java.vendor"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"),
                loadAverage());
    }

    /** The system's load average over the last minute (runnable processes; -1 where unknown). */
    public static double loadAverage() {
        return Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    private static Optional<String> cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name", ':');
    }

    private static Optional<String> prettyOsName() {
        return firstValue(Path.of("/etc/os-release"), "PRETTY_NAME", '=').map(name -> name.replace("\"", ""));
    }

    /** The value of the first {@code key SEPARATOR value} line of a file, when the file is there. */
    private static Optional<String> firstValue(Path file, String key, char separator) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(key) && line.indexOf(separator) > 0)
                    .map(line -> line.substring(line.indexOf(separator) + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
