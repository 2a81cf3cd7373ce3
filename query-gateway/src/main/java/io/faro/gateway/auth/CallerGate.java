package io.faro.gateway.auth;

import io.faro.core.config.AuthSettings;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's door, run by its first filter before any handler: who is calling ({@link Authenticator}), whether it
 * may use this route ({@link RouteAccess}), and whether it is within its limits ({@link CallerLimiter}). A refused
 * request is answered here with a problem-details body and counted ({@link Rejections}); an admitted one carries its
 * caller's {@link io.faro.core.access.AccessScope} in its context ({@link Callers}).
 *
 * <p>With authentication off every request is {@link Caller#LOCAL}. That is for {@code faro up} on one's own
 * machine: on any other address the gateway refuses to start that way unless {@code FARO_AUTH=off} says so.
 */
public final class CallerGate {

    private static final Logger LOG = LoggerFactory.getLogger(CallerGate.class);

    private final Optional<Authenticator> authenticator;
    private final CallerLimiter limiter = new CallerLimiter();
    private final Rejections rejections;

    private CallerGate(Optional<Authenticator> authenticator, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.rejections = new Rejections(meters);
    }

    /** The gate for a gateway bound to {@code host}; refuses, naming the variables, to leave such a gateway open. */
    public static CallerGate create(AuthSettings settings, String host, MeterRegistry meters) {
        if (settings.enabled()) {
            LOG.info("authentication: {}; each caller at most {} requests/s (bursts of {}) and {} at once per replica",
                    settings.methods().stream().map(io.faro.core.config.Env::spelling).sorted().toList(),
                    settings.limits().requestsPerSecond(), settings.limits().burst(),
                    settings.limits().concurrency());
            return new CallerGate(Optional.of(Authenticator.create(settings)), meters);
        }
        refuseOpenBeyondLoopback(settings, host);
        LOG.warn("authentication is OFF ({}): every request to {} may read, publish and delete every document."
                + " Fine for faro up on this machine; set {} or {} before anyone else can reach it",
                settings.explicit() ? FaroConfig.AUTH + "=off" : "no " + FaroConfig.API_KEYS_FILE + " or "
                        + FaroConfig.OIDC_ISSUER + " set", host, FaroConfig.API_KEYS_FILE, FaroConfig.OIDC_ISSUER);
        return new CallerGate(Optional.empty(), meters);
    }

    /**
     * Refuses, naming the variables, a gateway that would serve without authentication on an address other than
     * loopback when {@code FARO_AUTH=off} does not say so. A launcher calls it first, before it loads models and
     * opens stores, so that such a start fails at once.
     */
    public static void refuseOpenBeyondLoopback(AuthSettings settings, String host) {
        if (!settings.enabled() && !settings.explicit() && !loopback(host)) {
            throw new ConfigException("the gateway would serve every document to anyone who reaches " + host
                    + " without authentication: set " + FaroConfig.API_KEYS_FILE + " (or " + FaroConfig.OIDC_ISSUER
                    + "), or " + FaroConfig.AUTH + "=off to serve it open on purpose");
        }
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A request let in: its caller, and what it holds of the caller's limits until it is answered. */
    public record Admission(Optional<Caller> caller, AutoCloseable permit) implements AutoCloseable {

        @Override
        public void close() {
            try {
                permit.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing a permit cannot fail", e);
            }
        }
    }

    /**
     * Lets the request in, with its caller's scope registered, or answers it with the problem and returns empty.
     * Open routes (health, metrics) are let in without a caller.
     */
    public Optional<Admission> admit(ServerRequest request, ServerResponse response) {
        if (authenticator.isEmpty()) {
            Callers.register(request, Caller.LOCAL.scope());
            return Optional.of(new Admission(Optional.of(Caller.LOCAL), () -> { }));
        }
        RouteAccess access = RouteAccess.of(request.prologue().method().text(), request.path().absolute().path());
        if (access instanceof RouteAccess.Open) {
            return Optional.of(new Admission(Optional.empty(), () -> { }));
        }
        Caller caller;
        try {
            caller = authenticator.get().authenticate(request);
        } catch (ProblemException e) {
            return refuse(request, response, e, e.status() == 401 ? Rejections.UNAUTHENTICATED : "unavailable",
                    Rejections.UNKNOWN);
        }
        Optional<Role> role = ((RouteAccess.Authenticated) access).role();
        if (role.isPresent() && !caller.roles().contains(role.get())) {
            return refuse(request, response, ProblemException.forbidden("'" + caller.client() + "' may "
                    + (caller.roles().isEmpty() ? "do nothing here (no role)" : caller.roles().stream()
                            .map(Role::spelling).sorted().toList() + " only") + "; "
                    + request.prologue().method().text() + " " + request.path().absolute().path() + " needs the role '"
                    + role.get().spelling() + "'"), Rejections.FORBIDDEN, caller.client());
        }
        AutoCloseable permit;
        try {
            permit = limiter.admit(caller);
        } catch (CallerLimiter.Refused refused) {
            return refuse(request, response, refused.problem, refused.reason, caller.client());
        }
        Callers.register(request, caller.scope());
        return Optional.of(new Admission(Optional.of(caller), permit));
    }

    /** Counts a request a handler refused as too large (413), under its caller. */
    public void answered(Admission admission, int status) {
        if (status == 413) {
            rejections.count(Rejections.TOO_LARGE, admission.caller().map(Caller::client).orElse(Rejections.UNKNOWN));
        }
    }

    private Optional<Admission> refuse(ServerRequest request, ServerResponse response, ProblemException problem,
                                       String reason, String keyId) {
        rejections.count(reason, keyId);
        problem.headers().forEach(response::header);
        JsonExchange.sendProblem(response, problem.toProblem(request.path().absolute().path()));
        return Optional.empty();
    }
}
