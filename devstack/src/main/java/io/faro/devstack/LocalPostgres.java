package io.faro.devstack;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL cluster, started from the machine's PostgreSQL binaries, for when no
 * {@code FARO_PG_URL} is given. It listens on localhost only and trusts local connections: it is a
 * development database, not a production one. PostgreSQL refuses to run as root, so as root the cluster
 * belongs to, and runs as, the {@code postgres} system user; {@link ClusterPlacement} puts FARO_HOME's
 * cluster where that user can reach it.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_.]*");

    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final ServerUser user;

    private LocalPostgres(Path binDir, Path dataDir, int port, ServerUser user) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
        this.user = user;
    }

    /**
     * Starts the cluster of this {@code FARO_HOME}, in {@code FARO_HOME/postgres} or, as root when the
     * postgres user cannot enter FARO_HOME, under that user's home ({@link #dataDir()} says where).
     */
    public static LocalPostgres startForHome(Path faroHome, int port) {
        return start(ClusterPlacement.dataDirFor(faroHome, ServerUser.forThisProcess()), port);
    }

    /** Initialises the cluster in this directory on first use, then starts it and waits until it takes connections. */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with server settings ({@code postgresql.conf} names and values, e.g.
     * {@code ssl=on}) over FARO's: for tests that need a server set up otherwise.
     */
    public static LocalPostgres start(Path dataDir, int port, Map<String, String> settings) {
        Path binDir = findBinDir().orElseThrow(() -> new FaroException("""
                PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them, e.g. on Debian/Ubuntu: \
                sudo apt-get install postgresql; then the pgvector extension: sudo scripts/install-test-deps.sh. \
                Or set FARO_PG_URL to a PostgreSQL server that has pgvector."""));
        LocalPostgres pg = new LocalPostgres(binDir, dataDir.toAbsolutePath(), port, ServerUser.forThisProcess());
        pg.initIfNeeded();
        pg.startServer(settings);
        return pg;
    }

    public String url() {
        return urlFor(port);
    }

    /** The URL of the private cluster on this port, for the commands that reach a running {@code faro up}. */
    public static String urlFor(int port) {
        return FaroConfig.PgSettings.localUrl(port);
    }

    public int port() {
        return port;
    }

    /** Where the cluster keeps its data. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Writes a file into the data directory that only the server's user may read or write, as PostgreSQL
     * wants its TLS key ({@code server.key}); also for {@code server.crt} or {@code pg_hba.conf}. The server
     * reads it when it next starts or reloads.
     */
    public Path writePrivateFile(String name, String content) {
        Path file = dataDir.resolve(name);
        if (!file.getParent().equals(dataDir)) {
            throw new IllegalArgumentException(name + " is not a plain file name");
        }
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FaroException("cannot write " + file + ": " + e.getMessage(), e);
        }
        user.own(file);
        return file;
    }

    @Override
    public void close() {
        try {
            user.run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w",
                    "stop"));
        } catch (FaroException e) {
            LOG.warn("stopping PostgreSQL: {}", e.getMessage());
        }
    }

    private void initIfNeeded() {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new FaroException("cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        user.own(dataDir);
        checkReachable();
        LOG.info("initialising PostgreSQL cluster in {}", dataDir);
        user.run(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U",
                FaroConfig.PgSettings.LOCAL_USER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
    }

    private void checkReachable() {
        if (user.isPostgres() && !user.succeeds(List.of("test", "-w", dataDir.toString()))) {
            throw new FaroException("PostgreSQL cannot run as root, so the postgres user runs it, and that user cannot"
                    + " reach " + dataDir + ". Let it enter every directory above (chmod o+x), or move the cluster"
                    + " where it can.");
        }
    }

    private void startServer(Map<String, String> settings) {
        checkReachable();
        Path log = dataDir.resolve("server.log");
        if (user.succeeds(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "status"))) {
            LOG.info("PostgreSQL already running in {}, using it", dataDir);
            return;
        }
        StringBuilder options = new StringBuilder("-p " + port + " -c listen_addresses=localhost"
                + " -c unix_socket_directories='' -c max_connections=100 -c fsync=on"
                // a rebuild builds its copy's HNSW graph in memory when it fits; the memory is taken only while
                // an index is built
                + " -c maintenance_work_mem=1GB");
        // pg_ctl hands these to a shell, so each value is quoted; later -c options win over earlier ones.
        settings.forEach((name, value) -> {
            if (!SETTING_NAME.matcher(name).matches() || value.contains("'")) {
                throw new IllegalArgumentException("not a PostgreSQL setting FARO can pass: " + name);
            }
            options.append(" -c '").append(name).append('=').append(value).append('\'');
        });
        try {
            user.run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", log.toString(),
                    "-o", options.toString(), "-w", "-t", "60", "start"));
        } catch (FaroException e) {
            throw new FaroException("PostgreSQL did not start on port " + port + " (is the port taken? set FARO_PG_PORT)."
                    + " Its log, " + log + ", ends with:\n" + tail(log), e);
        }
    }

    private static Optional<Path> findBinDir() {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.map(v -> v.resolve("bin"))
                    .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                    .forEach(candidates::add);
        } catch (IOException | RuntimeException e) {
            // not a Debian layout; fall through to PATH
        }
        candidates.add(Path.of("/usr/local/pgsql/bin"));
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static int versionOf(Path binDir) {
        try {
            return Integer.parseInt(binDir.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
