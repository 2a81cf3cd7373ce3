package io.faro.gateway.auth;

import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of {@link ApiKeyFile}, looked up by the hash of the key a request presents. Every key's hash is
 * compared, in constant time, whether or not an earlier one matched: how long a lookup takes says nothing about
 * which keys exist.
 *
 * <p>The file is read again when it changes (checked at most every {@link #RECHECK}), so that a key added to or
 * revoked from the Secret takes effect without a restart; Kubernetes updates a mounted Secret within a minute or
 * two. A file that no longer reads leaves the keys as they were, with an error in the log.
 */
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    static final Duration RECHECK = Duration.ofSeconds(5);

    private final Path file;
    private final CallerLimits defaults;
    private final LongSupplier nanoClock;
    private volatile Snapshot snapshot;
    private volatile long nextCheck;

    private record Snapshot(List<ApiKey> keys, FileTime modified, long size) {
    }

    ApiKeys(Path file, CallerLimits defaults, LongSupplier nanoClock) {
        this.file = file;
        this.defaults = defaults;
        this.nanoClock = nanoClock;
        this.snapshot = load();
        this.nextCheck = nanoClock.getAsLong() + RECHECK.toNanos();
    }

    /** The keys of {@code file}; a file that does not read refuses the start, naming the line. */
    public static ApiKeys load(Path file, CallerLimits defaults) {
        ApiKeys keys = new ApiKeys(file, defaults, System::nanoTime);
        LOG.info("API keys: {} from {}", keys.size(), file);
        return keys;
    }

    public int size() {
        return snapshot.keys().size();
    }

    /** The caller whose key this is, if any. */
    public Optional<Caller> find(String presented) {
        reloadIfChanged();
        byte[] hash = ApiKey.hash(presented);
        ApiKey found = null;
        for (ApiKey key : snapshot.keys()) {
            if (key.matches(hash)) {
                found = key;
            }
        }
        return Optional.ofNullable(found).map(ApiKey::caller);
    }

    private void reloadIfChanged() {
        long now = nanoClock.getAsLong();
        if (now - nextCheck < 0) {
            return;
        }
        synchronized (this) {
            if (now - nextCheck < 0) {
                return;
            }
            nextCheck = now + RECHECK.toNanos();
            try {
                Snapshot current = snapshot;
                if (Objects.equals(Files.getLastModifiedTime(file), current.modified())
                        && Files.size(file) == current.size()) {
                    return;
                }
                snapshot = load();
                LOG.info("API keys: {} after {} changed", snapshot.keys().size(), file);
            } catch (IOException | ConfigException e) {
                LOG.error("API keys: {} changed but cannot be used ({}); the {} keys read before still hold", file,
                        e.getMessage(), snapshot.keys().size());
            }
        }
    }

    private Snapshot load() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return new Snapshot(ApiKeyFile.read(file, defaults), modified, size);
        } catch (IOException e) {
            throw new ConfigException("the API key file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
