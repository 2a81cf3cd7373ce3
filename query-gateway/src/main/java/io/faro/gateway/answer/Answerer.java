package io.faro.gateway.answer;

import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a question and the passages retrieved for it into an answer that cites them by number ({@code [n]}
 * points at the n-th hit). Extractive when no LLM is configured or when every LLM endpoint failed; an LLM
 * answerer fills the same seam.
 */
public interface Answerer {

    /**
     * The answer's text; whether it quotes the passages instead of generating from them; the sources its
     * citations point at (a citation that points at no source is not kept); why an LLM did not answer, when one
     * is configured and failed; and, for a generated answer, what it cost.
     */
    record Answer(String text, boolean extractive, List<Citation> citations, Optional<String> llmError,
                  Optional<Generation> generation) {

        public static Answer extractive(String text, List<Citation> citations) {
            return new Answer(text, true, citations, Optional.empty(), Optional.empty());
        }

        public Answer withLlmError(String error) {
            return new Answer(text, extractive, citations, Optional.of(error), generation);
        }
    }

    /**
     * A citation {@code [ref]} and the chunk it points at; {@code location} says where in the document it lies
     * ("page 4", "Setup › Networking"), or is null when the document has no such structure.
     */
    record Citation(int ref, String docId, String tenant, String chunkId, String title, String location) {

        static Citation of(int ref, SearchHit hit) {
            return new Citation(ref, hit.documentId(), hit.tenant(), hit.chunkId(), hit.title(),
                    hit.location().orElse(null));
        }
    }

    /** Which endpoint and model answered, its token usage, and how long the LLM took (all attempts). */
    record Generation(String endpoint, String model, int promptTokens, int completionTokens, int attempts,
                      double llmMs) {
    }

    Answer answer(String question, List<SearchHit> hits);

    /**
     * The answer, its text passed to {@code deltas} as it is made (on the calling thread; a {@code deltas} that
     * throws means the caller went away). By default the whole text at once.
     */
    default Answer answer(String question, List<SearchHit> hits, Consumer<String> deltas) {
        Answer answer = answer(question, hits);
        deltas.accept(answer.text());
        return answer;
    }
}
