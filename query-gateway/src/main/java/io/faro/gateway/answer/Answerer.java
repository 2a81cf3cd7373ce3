package io.faro.gateway.answer;

import io.faro.core.model.SearchHit;
import java.util.List;

/**
 * Turns a question and the passages retrieved for it into an answer that cites them by number ({@code [n]}
 * points at the n-th hit). Extractive when no LLM is configured; an LLM answerer fills the same seam.
 */
public interface Answerer {

    /** The answer's text, and whether it quotes the passages instead of generating from them. */
    record Answer(String text, boolean extractive) {
    }

    Answer answer(String question, List<SearchHit> hits);
}
