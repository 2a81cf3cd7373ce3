package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.stores.keyword.KeywordTerms;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgTsVectorTest {

    @Test
    void lexemesComeInTheOrderPostgresKeepsThemByTheirUnsignedBytes() {
        List<PgTsVector.Lexeme> lexemes = PgTsVector.lexemes(new KeywordTerms(
                Map.of("zephyr", 3, "wind", 1, "été", 2, "Wind", 1), 7));

        assertThat(lexemes).extracting(PgTsVector.Lexeme::text).containsExactly("Wind", "wind", "zephyr", "été");
        assertThat(lexemes).extracting(PgTsVector.Lexeme::positions).containsExactly(1, 1, 3, 2);
    }

    @Test
    void theBinaryFormIsTheCountThenEachLexemeNulTerminatedWithPositionsOneToN() throws IOException {
        ByteBuffer written = write(new KeywordTerms(Map.of("ab", 2, "c", 1), 3));

        assertThat(written.getInt()).isEqualTo(2);
        assertThat(new byte[] {written.get(), written.get(), written.get()}).containsExactly('a', 'b', 0);
        assertThat(written.getShort()).isEqualTo((short) 2);
        assertThat(written.getShort()).isEqualTo((short) 1);
        assertThat(written.getShort()).isEqualTo((short) 2);
        assertThat(new byte[] {written.get(), written.get()}).containsExactly('c', 0);
        assertThat(written.getShort()).isEqualTo((short) 1);
        assertThat(written.getShort()).isEqualTo((short) 1);
        assertThat(written.hasRemaining()).isFalse();
    }

    @Test
    void quotesAndBackslashesInsideAQueryLexemeAreDoubled() {
        assertThat(PgTsVector.lexeme("o'brien")).isEqualTo("'o''brien'");
        assertThat(PgTsVector.lexeme("c:\\temp")).isEqualTo("'c:\\\\temp'");
        assertThat(PgTsVector.query("it's\\")).isEqualTo("'it''s\\\\'");
    }

    @Test
    void aTermRepeatedPastWhatPostgresKeepsCountsAsItsLimit() {
        assertThat(PgTsVector.lexemes(new KeywordTerms(Map.of("echo", 300), 300)))
                .singleElement().extracting(PgTsVector.Lexeme::positions).isEqualTo(PgTsVector.MAX_POSITIONS);
    }

    @Test
    void aLexemeLongerThanPostgresAllowsOrHoldingANulIsLeftOut() {
        String huge = "é".repeat(1_100);

        assertThat(PgTsVector.lexemes(new KeywordTerms(Map.of(huge, 1, "small", 1, "nul\0byte", 1), 3)))
                .extracting(PgTsVector.Lexeme::text).containsExactly("small");
    }

    @Test
    void termsThatWouldPassTheSizeLimitLeaveTheRarestOut() {
        Map<String, Integer> frequencies = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            frequencies.put("term%05d".formatted(i) + "x".repeat(50), 1);
        }
        frequencies.put("frequent", 9);

        List<PgTsVector.Lexeme> kept = PgTsVector.lexemes(new KeywordTerms(frequencies, 20_009));

        long bytes = kept.stream().mapToLong(lexeme -> lexeme.utf8().length + 3L + 2L * lexeme.positions()).sum();
        assertThat(bytes).isLessThanOrEqualTo(PgTsVector.MAX_BYTES);
        assertThat(kept).extracting(PgTsVector.Lexeme::text).contains("frequent");
        assertThat(kept.size()).isLessThan(frequencies.size());
    }

    private static ByteBuffer write(KeywordTerms terms) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PgTsVector.write(terms, new DataOutputStream(bytes));
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
