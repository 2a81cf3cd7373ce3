package io.faro.topology.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordPieceCountsTest {

    private final HuggingFaceTokenCountEstimator tokenizer = new HuggingFaceTokenCountEstimator();

    /** Pieces of text the tokenizer treats each in its own way: cut, dropped, split off, normalised or unknown. */
    private static final List<String> PIECES = List.of(
            "stream", "Kafka", "partitions", "offsets", "unbelievably", "re-embedding", "don't", "e.g.", "3.14159",
            "2026-12-04", "(parenthesised)", "\"quoted\"", "co-operate", "naïve", "Café", "e\u0301", "\u0301",
            "中文字符", "日本語", "😀", "🚀x", "x" + "y".repeat(120), "ﬁ", "Ⅻ", "İstanbul", "straße",
            " ", "  ", "\t", "\n", "\r\n", "\n\n", "\u00A0", "\u3000", "\u2028", "\u200B", "\u0000", "\u0007",
            "\u001C", "\uFFFD", "\u00AD", ".", ",", "!?", "—", "…", "#", "$100", "a", "I");

    @Test
    void shouldCountWhatTheTokenizerCountsForAnyText() {
        WordPieceCounts counts = new WordPieceCounts();
        Random random = new Random(17);
        for (int n = 0; n < 3000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(PIECES.get(random.nextInt(PIECES.size())));
                if (random.nextInt(3) > 0) {
                    text.append(random.nextBoolean() ? " " : "\n");
                }
            }
            String sample = text.toString();

            assertThat(counts.estimateTokenCountInText(sample))
                    .as("tokens of %s", sample.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(tokenizer.estimateTokenCountInText(sample));
        }
    }

    @Test
    void shouldCountProseAsTheTokenizerDoes() {
        String prose = """
                The Normans (Norman: Nourmands; French: Normands; Latin: Normanni) were the people who in the 10th
                and 11th centuries gave their name to Normandy, a region in France. They were descended from Norse
                ("Norman" comes from "Norseman") raiders and pirates from Denmark, Iceland and Norway who, under
                their leader Rollo, agreed to swear fealty to King Charles III of West Francia.\r\n\tIndented line.""";

        assertThat(new WordPieceCounts().estimateTokenCountInText(prose))
                .isEqualTo(tokenizer.estimateTokenCountInText(prose))
                .isGreaterThan(90);
        assertThat(new WordPieceCounts().estimateTokenCountInText("")).isZero();
        assertThat(new WordPieceCounts().estimateTokenCountInText(" \n\t ")).isZero();
    }

    @Test
    void shouldTokenizeEachWordOnce() {
        CountingTokenizer counting = new CountingTokenizer(tokenizer);
        WordPieceCounts counts = new WordPieceCounts(counting);

        int first = counts.estimateTokenCountInText("the cat and the dog and the bird");
        int second = counts.estimateTokenCountInText("the dog and the cat");

        assertThat(counting.words).containsExactly("the", "cat", "and", "dog", "bird");
        assertThat(first).isEqualTo(tokenizer.estimateTokenCountInText("the cat and the dog and the bird"));
        assertThat(second).isEqualTo(tokenizer.estimateTokenCountInText("the dog and the cat"));
    }

    @Test
    void shouldRememberABoundedNumberOfWords() {
        WordPieceCounts counts = new WordPieceCounts(new CountingTokenizer(null));

        for (int i = 0; i <= WordPieceCounts.MAX_WORDS + 10; i++) {
            counts.estimateTokenCountInText("w" + i);
        }

        assertThat(counts.remembered()).isBetween(1, WordPieceCounts.MAX_WORDS);
    }

    @Test
    void shouldNotRememberLongWords() {
        CountingTokenizer counting = new CountingTokenizer(tokenizer);
        WordPieceCounts counts = new WordPieceCounts(counting);
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        String blob = "QmFzZTY0".repeat(1000);

        int first = counts.estimateTokenCountInText(hash + " " + blob);
        int second = counts.estimateTokenCountInText(hash + " " + blob);

        assertThat(first).isEqualTo(second).isEqualTo(tokenizer.estimateTokenCountInText(hash + " " + blob));
        assertThat(counting.words).containsExactly(hash, blob, blob);
        assertThat(counts.remembered()).isEqualTo(1);
    }

    /** Records each text it is asked about; counts with {@code tokenizer}, or one token a character without one. */
    private static final class CountingTokenizer implements TokenCountEstimator {

        final List<String> words = new ArrayList<>();
        private final TokenCountEstimator tokenizer;

        CountingTokenizer(TokenCountEstimator tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public int estimateTokenCountInText(String text) {
            words.add(text);
            return tokenizer == null ? text.length() : tokenizer.estimateTokenCountInText(text);
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            throw new UnsupportedOperationException();
        }
    }
}
