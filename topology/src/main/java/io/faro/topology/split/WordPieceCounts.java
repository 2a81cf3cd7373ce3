package io.faro.topology.split;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token counts of the WordPiece tokenizer ({@link HuggingFaceTokenCountEstimator}'s, without special tokens), summed
 * word by word, with each word's count remembered.
 *
 * <p>The recursive splitter counts the tokens of a chunk again each time it appends a sentence or a word to it, and of
 * every piece it tries: with the model taken out of the pipeline, that tokenizing took 85 % of the ingest stream
 * thread's CPU. The count is a sum over words: the tokenizer cuts its input at whitespace before anything else and
 * tokenizes each word on its own (normalising character by character, splitting off punctuation, then WordPiece),
 * so a text's count is the sum of its words' counts, and a word is tokenized once. Words are cut here only at the
 * whitespace the tokenizer treats as whitespace too (space, tab, line feed, carriage return); any other character
 * stays inside its word, where the tokenizer handles it as it would in the whole text.
 *
 * <p>At most {@value #MAX_WORDS} words of at most {@value #MAX_REMEMBERED_CHARS} characters are remembered (a few
 * tens of megabytes at most); the memory is emptied when it is full. A longer word (a URL, a hash, base64) is tokenized
 * each time it is counted.
 */
final class WordPieceCounts implements TokenCountEstimator {

    static final int MAX_WORDS = 200_000;
    static final int MAX_REMEMBERED_CHARS = 64;

    private final TokenCountEstimator tokenizer;
    private final Map<String, Integer> words = new ConcurrentHashMap<>();

    WordPieceCounts() {
        this(new HuggingFaceTokenCountEstimator());
    }

    /** {@code tokenizer}: counts the tokens of one word. */
    WordPieceCounts(TokenCountEstimator tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        int total = 0;
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean cut = i == text.length() || isWhitespace(text.charAt(i));
            if (cut && start >= 0) {
                total += countOf(text.substring(start, i));
                start = -1;
            } else if (!cut && start < 0) {
                start = i;
            }
        }
        return total;
    }

    private int countOf(String word) {
        if (word.length() > MAX_REMEMBERED_CHARS) {
            return tokenizer.estimateTokenCountInText(word); // not hashed for a lookup that cannot hit
        }
        Integer known = words.get(word);
        if (known != null) {
            return known;
        }
        int count = tokenizer.estimateTokenCountInText(word);
        if (words.size() >= MAX_WORDS) {
            words.clear();
        }
        words.put(word, count);
        return count;
    }

    /** The characters both this and the tokenizer cut words at. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Words remembered now. */
    int remembered() {
        return words.size();
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        throw new UnsupportedOperationException("counts the tokens of text only");
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        throw new UnsupportedOperationException("counts the tokens of text only");
    }
}
