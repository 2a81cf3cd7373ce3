package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.stores.keyword.KeywordTerms;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgTsVectorTest {

    @Test
    void eachTermIsAQuotedLexemeWithOnePositionPerOccurrence() {
        assertThat(PgTsVector.of(new KeywordTerms(Map.of("wind", 1, "zephyr", 3), 4)))
                .isEqualTo("'wind':1 'zephyr':1,2,3");
    }

    @Test
    void quotesAndBackslashesInsideALexemeAreDoubled() {
        assertThat(PgTsVector.lexeme("o'brien")).isEqualTo("'o''brien'");
        assertThat(PgTsVector.lexeme("c:\\temp")).isEqualTo("'c:\\\\temp'");
        assertThat(PgTsVector.query("it's\\")).isEqualTo("'it''s\\\\'");
    }

    @Test
    void aTermRepeatedPastWhatPostgresKeepsCountsAsItsLimit() {
        String text = PgTsVector.of(new KeywordTerms(Map.of("echo", 300), 300));

        assertThat(text).startsWith("'echo':1,2,").endsWith("," + PgTsVector.MAX_POSITIONS);
        assertThat(text.split(",")).hasSize(PgTsVector.MAX_POSITIONS);
    }

    @Test
    void aLexemeLongerThanPostgresAllowsIsLeftOut() {
        String huge = "é".repeat(1_100);

        assertThat(PgTsVector.of(new KeywordTerms(Map.of(huge, 1, "small", 1), 2))).isEqualTo("'small':1");
    }

    @Test
    void termsThatWouldPassTheSizeLimitLeaveTheRarestOut() {
        Map<String, Integer> frequencies = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            frequencies.put("term%05d".formatted(i) + "x".repeat(50), 1);
        }
        frequencies.put("frequent", 9);

        String text = PgTsVector.of(new KeywordTerms(frequencies, 20_009));

        assertThat(text.length()).isLessThan(PgTsVector.MAX_BYTES + 100_000);
        assertThat(text).startsWith("'frequent':1,2,3,4,5,6,7,8,9 ");
        assertThat(text.split(" ").length).isLessThan(frequencies.size());
    }
}
