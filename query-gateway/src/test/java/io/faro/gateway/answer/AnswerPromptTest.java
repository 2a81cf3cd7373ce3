package io.faro.gateway.answer;

import static io.faro.gateway.answer.LlmAnswererTest.hit;
import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnswerPromptTest {

    private final AtomicInteger counted = new AtomicInteger();
    /** About four characters a token, as for English text, and every call noted. */
    private final ToIntFunction<String> tokenizer = text -> {
        counted.incrementAndGet();
        return (text.length() + 3) / 4;
    };

    @Test
    void shouldBuildThePromptWithoutTheTokenizerWhenItFitsEvenAtOneTokenPerByte() {
        // given five hits of about 700 characters and a context budget far above their bytes
        List<SearchHit> hits = hits(5, 700);

        // when
        AnswerPrompt prompt = AnswerPrompt.build("Who built the turbine?", hits, tokenizer, 6_000, 800);

        // then nothing was counted, and every hit went in whole
        assertThat(counted).hasValue(0);
        assertThat(prompt.sources()).isEqualTo(5);
        hits.forEach(hit -> assertThat(prompt.prompt().user()).contains(hit.text()));
    }

    @Test
    void shouldBuildTheSamePromptWithoutCountingAsWithCounting() {
        // given a budget just above the prompt's bytes (no counting) and one just below it (counting)
        List<SearchHit> hits = hits(4, 500);
        int bytes = AnswerPrompt.SYSTEM.length() + "\n<question>q</question>".length() + 8
                + hits.stream().mapToInt(hit -> hit.text().length() + hit.title().length() + 16).sum();

        // when
        AnswerPrompt uncounted = AnswerPrompt.build("q", hits, tokenizer, bytes, 800);
        int afterUncounted = counted.get();
        AnswerPrompt counting = AnswerPrompt.build("q", hits, tokenizer, bytes - 1, 800);

        // then the first skipped the tokenizer, the second used it, and both sent the same prompt
        assertThat(afterUncounted).isZero();
        assertThat(counted.get()).isPositive();
        assertThat(uncounted).isEqualTo(counting);
    }

    @Test
    void shouldCountAndCutWhenThePromptMightNotFit() {
        // given hits whose bytes are far above the budget
        List<SearchHit> hits = hits(3, 8_000);

        // when
        AnswerPrompt prompt = AnswerPrompt.build("q", hits, tokenizer, 2_500, 800);

        // then the tokenizer decided: the first hit, cut to the budget, and only it
        assertThat(counted.get()).isPositive();
        assertThat(prompt.sources()).isEqualTo(1);
        assertThat(tokenizer.applyAsInt(AnswerPrompt.SYSTEM + prompt.prompt().user())).isLessThanOrEqualTo(2_500);
    }

    private static List<SearchHit> hits(int count, int characters) {
        return IntStream.range(0, count)
                .mapToObj(i -> hit("doc-" + i, i, "Title " + i, ("passage " + i + " about turbines ").repeat(characters / 25)
                        .substring(0, characters).strip()))
                .toList();
    }
}
