package io.faro.gateway.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a process's {@code /health} endpoints answer from: the checks its components registered as they
 * started, and whether the process is stopping. A stopping process is not ready (so load balancers and
 * Kubernetes route around it) while it finishes what it has.
 */
public final class Health {

    private final List<ReadinessCheck> readiness = new CopyOnWriteArrayList<>();
    private final List<ReadinessCheck> liveness = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** A dependency whose state decides readiness (critical) or only marks the process degraded. */
    public Health ready(ReadinessCheck check) {
        readiness.add(check);
        return this;
    }

    /** Something that, when it fails, means the process cannot recover without a restart. */
    public Health live(ReadinessCheck check) {
        liveness.add(check);
        return this;
    }

    /** From now on the process reports itself not ready. */
    public void stopping() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    List<ReadinessCheck> readinessChecks() {
        return List.copyOf(readiness);
    }

    List<ReadinessCheck> livenessChecks() {
        return List.copyOf(liveness);
    }
}
