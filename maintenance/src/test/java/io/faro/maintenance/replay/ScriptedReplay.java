package io.faro.maintenance.replay;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Test double of a {@link Replay}: each pass hands on the next scripted list of batches (none once the
 * script is done, as a topic nothing more arrives on) and notes {@code pass <phase>} in a log the test
 * shares with other doubles, so that it can check the order of what happened.
 */
public final class ScriptedReplay implements Replay {

    private final List<String> log;
    private final Deque<List<Map<String, byte[]>>> passes;
    private boolean closed;

    public ScriptedReplay(List<String> log, List<List<Map<String, byte[]>>> passes) {
        this.log = log;
        this.passes = new ArrayDeque<>(passes);
    }

    @Override
    public long pass(String phase, BatchHandler handler) {
        log.add("pass " + phase);
        List<Map<String, byte[]>> batches = passes.isEmpty() ? List.of() : passes.poll();
        batches.forEach(handler::apply);
        return batches.stream().mapToLong(Map::size).sum();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
