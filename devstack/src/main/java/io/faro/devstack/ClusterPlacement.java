package io.faro.devstack;

import io.faro.core.FaroException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the private cluster of a {@code FARO_HOME} keeps its data: in {@code FARO_HOME/postgres}, unless
 * FARO runs as root and the {@code postgres} user, which then runs the server, cannot enter FARO_HOME (a
 * checkout under {@code /root}, a {@code mktemp -d} directory). Then the data goes under that user's home,
 * {@code ~postgres/faro/<id>}, the id derived from FARO_HOME's path, and {@code FARO_HOME/postgres} becomes
 * a link to it. A cluster stays where it was first made, so restarts find their data.
 */
final class ClusterPlacement {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPlacement.class);
    static final String IN_HOME = "postgres";

    private ClusterPlacement() {
    }

    static Path dataDirFor(Path faroHome, ServerUser user) {
        Path home = faroHome.toAbsolutePath().normalize();
        Path inHome = home.resolve(IN_HOME);
        if (Files.isSymbolicLink(inHome)) {
            return linkTarget(inHome);
        }
        if (!user.isPostgres()) {
            return inHome;
        }
        createDirectories(home);
        if (Files.exists(inHome.resolve("PG_VERSION")) || user.canEnter(home)) {
            return inHome;
        }
        Path elsewhere = ServerUser.postgresHome().resolve("faro").resolve(idOf(home));
        removeEmptyLeftover(inHome);
        removeStaleCluster(elsewhere, user);
        user.run(List.of("mkdir", "-p", "-m", "0700", elsewhere.toString()));
        try {
            Files.createSymbolicLink(inHome, elsewhere);
        } catch (IOException e) {
            throw new FaroException("cannot link " + inHome + " to " + elsewhere + ": " + e.getMessage(), e);
        }
        LOG.info("the postgres user cannot enter {}, so its PostgreSQL cluster goes in {} (linked from {})", home,
                elsewhere, inHome);
        return elsewhere;
    }

    /** A name for FARO_HOME's cluster: the last parts of its path, to read, and a hash of all of it, unique. */
    static String idOf(Path faroHome) {
        Path path = faroHome.toAbsolutePath().normalize();
        StringBuilder readable = new StringBuilder();
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            String part = path.getName(i).toString().replaceAll("[^A-Za-z0-9_.-]+", "-");
            if (readable.length() + part.length() + 1 > 40) {
                if (readable.isEmpty()) {
                    readable.append(part.substring(part.length() - 40));
                }
                break;
            }
            readable.insert(0, readable.isEmpty() ? part : part + "-");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(path.toString().getBytes(StandardCharsets.UTF_8));
            String name = readable.toString().replaceAll("^[-.]+", "") + "-" + HexFormat.of().formatHex(hash, 0, 6);
            return name.replaceAll("^-", "").toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Path linkTarget(Path link) {
        try {
            return link.resolveSibling(Files.readSymbolicLink(link)).normalize();
        } catch (IOException e) {
            throw new FaroException("cannot read the link " + link + ": " + e.getMessage(), e);
        }
    }

    /**
     * A cluster at FARO_HOME's place that FARO_HOME does not link to was made for an earlier FARO_HOME at
     * this path, since deleted with its Kafka log: starting on it would serve documents Kafka no longer has.
     */
    private static void removeStaleCluster(Path cluster, ServerUser user) {
        if (!Files.exists(cluster)) {
            return;
        }
        if (Files.exists(cluster.resolve("postmaster.pid"))) {
            throw new FaroException("PostgreSQL data of an earlier FARO_HOME at this path is in " + cluster
                    + ", and a server may still run on it (postmaster.pid). Stop the faro up that runs it, or delete "
                    + cluster + " if none does.");
        }
        LOG.info("removing {}, the PostgreSQL cluster of an earlier, deleted FARO_HOME at this path", cluster);
        user.run(List.of("rm", "-rf", "--", cluster.toString()));
    }

    /** An empty directory that an earlier version of FARO made before refusing to run. */
    private static void removeEmptyLeftover(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new FaroException(dir + " is in the way of a link to the PostgreSQL cluster, and is not empty: "
                    + "move it away (" + e.getMessage() + ")", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FaroException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
