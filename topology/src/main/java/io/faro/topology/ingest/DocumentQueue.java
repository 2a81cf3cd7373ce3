package io.faro.topology.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of one document the claim-check stage holds, by position, oldest first. The first is a claim check
 * being fetched; the others wait behind it, so that no version of the document overtakes an earlier one.
 */
record DocumentQueue(List<String> positions) {

    DocumentQueue {
        positions = List.copyOf(positions);
    }

    static DocumentQueue of(String position) {
        return new DocumentQueue(List.of(position));
    }

    DocumentQueue with(String position) {
        List<String> more = new ArrayList<>(positions);
        more.add(position);
        return new DocumentQueue(more);
    }

    String head() {
        return positions.getFirst();
    }

    DocumentQueue withoutHead() {
        return new DocumentQueue(positions.subList(1, positions.size()));
    }

    @JsonIgnore
    boolean isEmpty() {
        return positions.isEmpty();
    }
}
