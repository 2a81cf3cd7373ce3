package io.faro.maintenance.versions;

import io.faro.core.store.ChunkVersion;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * An append-only file of chunk versions on local disk: what a reconciliation or a rebuild knows of a
 * topic or a store, kept out of the heap so that it can hold any number of chunks. Entries are read back
 * in the order they were added, which for a topic is its order per partition: a later entry of a chunk
 * is its later record. The file is a temporary file, deleted by {@link #close}.
 */
public final class VersionLog implements AutoCloseable {

    /** Where an entry came from when it was not a topic record. */
    public static final int NO_PARTITION = -1;

    private static final int BUFFER = 64 * 1024;

    /**
     * One record of a chunk: live at a document version, or a tombstone; and where it sits in its topic
     * ({@link #NO_PARTITION} when it did not come from one), so that a repair can fetch it again.
     */
    public record Entry(String chunkId, boolean live, long version, int partition, long offset) {

        public static Entry live(String chunkId, long version, int partition, long offset) {
            return new Entry(chunkId, true, version, partition, offset);
        }

        public static Entry tombstone(String chunkId, int partition, long offset) {
            return new Entry(chunkId, false, -1, partition, offset);
        }
    }

    private final Path file;
    private DataOutputStream out;
    private long entries;

    private VersionLog(Path file, int buffer) {
        this.file = file;
        try {
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), buffer));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a version log at " + file, e);
        }
    }

    /** A new, empty log in the JVM's temporary directory ({@code java.io.tmpdir}). */
    public static VersionLog create() {
        return create(BUFFER);
    }

    static VersionLog create(int buffer) {
        try {
            return new VersionLog(Files.createTempFile("faro-versions-", ".log"), buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a version log in " + System.getProperty("java.io.tmpdir")
                    + " (set -Djava.io.tmpdir to a writable directory)", e);
        }
    }

    /** The chunks a store holds, listed a page at a time: only one page is ever in memory. */
    public static VersionLog of(VectorStore store, int pageSize) {
        VersionLog log = create();
        try {
            store.visitVersions(pageSize, page -> {
                for (ChunkVersion held : page) {
                    log.add(Entry.live(held.chunkId(), held.docVersion(), NO_PARTITION, -1));
                }
            });
            return log.seal();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    public void add(Entry entry) {
        if (out == null) {
            throw new IllegalStateException("the version log " + file + " is sealed");
        }
        try {
            out.writeUTF(entry.chunkId());
            out.writeBoolean(entry.live());
            out.writeLong(entry.version());
            out.writeInt(entry.partition());
            out.writeLong(entry.offset());
            entries++;
        } catch (IOException e) {
            throw new StoreException("cannot write the version log " + file + " (is the disk full?): " + e.getMessage(), e);
        }
    }

    /** Ends writing: frees the write buffer. */
    public VersionLog seal() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out = null;
        }
        return this;
    }

    /** Entries added so far. */
    public long entries() {
        return entries;
    }

    /** Reads every entry in the order added. Entries may still be added afterwards. */
    public void forEach(Consumer<Entry> visitor) {
        try {
            if (out != null) {
                out.flush();
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
                for (long i = 0; i < entries; i++) {
                    visitor.accept(new Entry(in.readUTF(), in.readBoolean(), in.readLong(), in.readInt(), in.readLong()));
                }
            }
        } catch (EOFException e) {
            throw new StoreException("the version log " + file + " ended early: it was changed by something else", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version log " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            seal();
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file: the operating system cleans it up
            }
        }
    }
}
