package io.faro.maintenance.versions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A set of topic positions (partition, offset), one bit per offset in a memory-mapped temporary file per
 * partition: a repair marks the records it must write again and reads them in one pass over the topic,
 * with nothing of them on the heap. A million offsets take 125 kB of page cache.
 */
public final class OffsetSet implements AutoCloseable {

    private final Map<Integer, Long> ends;
    private final Map<Integer, MappedByteBuffer> bits = new HashMap<>();
    private final Map<Integer, Path> files = new HashMap<>();
    private long size;

    /** {@code ends}: each partition's end offset; every offset added is below it. */
    public OffsetSet(Map<Integer, Long> ends) {
        this.ends = Map.copyOf(ends);
    }

    public void add(int partition, long offset) {
        Long end = ends.get(partition);
        if (end == null || offset < 0 || offset >= end) {
            throw new IllegalArgumentException("position " + partition + "@" + offset + " is outside " + ends);
        }
        MappedByteBuffer buffer = bits.computeIfAbsent(partition, p -> map(p, end));
        int index = (int) (offset >>> 3);
        byte mask = (byte) (1 << (offset & 7));
        if ((buffer.get(index) & mask) == 0) {
            buffer.put(index, (byte) (buffer.get(index) | mask));
            size++;
        }
    }

    public boolean contains(int partition, long offset) {
        MappedByteBuffer buffer = bits.get(partition);
        return buffer != null && offset >= 0 && offset < ends.get(partition)
                && (buffer.get((int) (offset >>> 3)) & (1 << (offset & 7))) != 0;
    }

    public long size() {
        return size;
    }

    private MappedByteBuffer map(int partition, long end) {
        long bytes = Math.max(1, Math.ceilDiv(end, 8));
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("partition " + partition + " has more than 2^34 offsets");
        }
        try {
            Path file = Files.createTempFile("faro-offsets-" + partition + "-", ".bits");
            files.put(partition, file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map an offset set in " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    @Override
    public void close() {
        bits.clear();
        files.values().forEach(file -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file: the operating system cleans it up
            }
        });
        files.clear();
    }
}
