package io.faro.topology.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * Lets a processor stop its application from taking in records while it waits on something outside (a
 * hosted embedding model at its limits), without blocking the stream thread. A stream thread that blocked
 * would hold its Kafka transaction open and miss its poll interval; a paused application still polls,
 * commits and heartbeats, and only stops processing. Processing resumes once no processor holds it.
 */
public final class Backpressure {

    /** What can be paused: a running Kafka Streams application. */
    public interface Pausable {
        void pause();

        void resume();
    }

    private final Set<Object> holders = new HashSet<>();
    private Pausable target;

    /** Binds to the application; a hold taken before it started takes effect now. */
    public synchronized void bind(Pausable application) {
        this.target = application;
        if (!holders.isEmpty()) {
            application.pause();
        }
    }

    /** {@code holder} needs the application paused until it calls {@link #release}. */
    public synchronized void hold(Object holder) {
        if (holders.add(holder) && holders.size() == 1 && target != null) {
            target.pause();
        }
    }

    public synchronized void release(Object holder) {
        if (holders.remove(holder) && holders.isEmpty() && target != null) {
            target.resume();
        }
    }

    public synchronized boolean isHeld() {
        return !holders.isEmpty();
    }
}
