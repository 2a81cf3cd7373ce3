package io.faro.devstack;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL cluster under a directory of FARO's, started from the machine's PostgreSQL
 * binaries, for when no {@code FARO_PG_URL} is given. It listens on localhost only and trusts local
 * connections: it is a development database, not a production one. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to, and runs as, the {@code postgres} system user.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path binDir, Path dataDir, int port, boolean asPostgresUser) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Initialises the cluster on first use, then starts it and waits until it accepts connections. */
    public static LocalPostgres start(Path dataDir, int port) {
        Path binDir = findBinDir().orElseThrow(() -> new FaroException("""
                PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them, e.g. on Debian/Ubuntu: \
                sudo apt-get install postgresql; then the pgvector extension: sudo scripts/install-test-deps.sh. \
                Or set FARO_PG_URL to a PostgreSQL server that has pgvector."""));
        boolean root = "root".equals(System.getProperty("user.name"));
        LocalPostgres pg = new LocalPostgres(binDir, dataDir.toAbsolutePath(), port, root);
        pg.initIfNeeded();
        pg.startServer();
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

    @Override
    public void close() {
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
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
        if (asPostgresUser) {
            run(List.of("chown", "postgres:postgres", dataDir.toString()));
            if (exitCode(List.of("test", "-w", dataDir.toString())) != 0) {
                throw new FaroException("PostgreSQL cannot run as root, and the postgres user cannot reach "
                        + dataDir + ". Set FARO_HOME to a directory whose parents others may enter (not under /root).");
            }
        }
        LOG.info("initialising PostgreSQL cluster in {}", dataDir);
        run(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", FaroConfig.PgSettings.LOCAL_USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
    }

    private void startServer() {
        Path log = dataDir.resolve("server.log");
        List<String> status = List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "status");
        if (exitCode(status) == 0) {
            LOG.info("PostgreSQL already running in {}, using it", dataDir);
            return;
        }
        String options = "-p " + port + " -c listen_addresses=localhost -c unix_socket_directories=''"
                + " -c max_connections=100 -c fsync=on";
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", log.toString(),
                    "-o", options, "-w", "-t", "60", "start"));
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

    private List<String> asOwner(List<String> command) {
        if (!asPostgresUser || command.getFirst().equals("chown")) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void run(List<String> command) {
        ProcessResult result = exec(asOwner(command));
        if (result.exitCode != 0) {
            throw new FaroException(String.join(" ", command) + " failed (exit " + result.exitCode + "): "
                    + result.output.strip());
        }
    }

    private int exitCode(List<String> command) {
        return exec(asOwner(command)).exitCode;
    }

    private record ProcessResult(int exitCode, String output) {
    }

    private static ProcessResult exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            return new ProcessResult(process.waitFor(), output);
        } catch (IOException e) {
            throw new FaroException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while running " + command.getFirst(), e);
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
