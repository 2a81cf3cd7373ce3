package io.faro.bench.scale;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Runs another class's {@code main} in this JVM and, when the JVM exits, writes to the file named by
 * {@code -Dfaro.heapwatch.out} the heap it needed: the most heap still in use after a garbage collection
 * (what the program really held; it does not grow when the collector merely runs late) and the highest
 * heap use seen (which grows up to {@code -Xmx} whenever the collector lets it).
 */
public final class HeapWatch {

    static final String OUT = "faro.heapwatch.out";

    private HeapWatch() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty(OUT));
        AtomicLong maxAfterGc = new AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getPeakUsage).mapToLong(MemoryUsage::getUsed).sum();
            try {
                Files.writeString(out, maxAfterGc.get() + " " + peak + " "
                        + Runtime.getRuntime().maxMemory() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
    }
}
