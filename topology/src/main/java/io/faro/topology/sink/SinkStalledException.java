package io.faro.topology.sink;

import io.faro.core.FaroException;

/** A store refused writes for longer than a stream thread may wait. */
public final class SinkStalledException extends FaroException {

    public SinkStalledException(String message) {
        super(message);
    }
}
