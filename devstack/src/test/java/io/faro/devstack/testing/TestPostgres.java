package io.faro.devstack.testing;

import io.faro.devstack.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One real PostgreSQL (with pgvector) per test JVM, in a temporary directory, started with the same
 * code as {@code faro up}. Tests isolate themselves by table name. {@code ./faro test} installs the
 * server binaries and pgvector when they are missing.
 */
public final class TestPostgres {

    private static LocalPostgres instance;

    private TestPostgres() {
    }

    public static synchronized String url() {
        if (instance == null) {
            Path dir = tempDirOthersCanEnter("faro-pg-");
            instance = LocalPostgres.start(dir.resolve("data"), freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance.url();
    }

    /**
     * A temporary directory the {@code postgres} user may enter: as root, PostgreSQL runs as that user, so a
     * data directory given to {@link LocalPostgres#start} must be where it can reach; and a FARO_HOME made
     * here keeps its cluster inside it, with the test's other files, instead of under {@code ~postgres/faro},
     * where {@code faro up} puts the cluster of a FARO_HOME that user cannot enter (see {@code RootHomeIT}).
     */
    public static Path tempDirOthersCanEnter(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
