package io.faro.embedders.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.rerank.Reranker;
import io.faro.embedders.testing.RerankStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankersTest {

    @Test
    void shouldMakeTheHttpRerankerTheVariablesDescribe() throws Exception {
        try (RerankStandIn standIn = RerankStandIn.start(RerankStandIn.Format.TEI)) {
            FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.RERANK_URL, standIn.url(),
                    FaroConfig.RERANK_FORMAT, "tei")));

            try (Reranker reranker = Rerankers.create(config.rerank().orElseThrow())) {
                assertThat(reranker).isInstanceOf(HttpReranker.class);
                assertThat(reranker.rerank("paris", List.of("rome", "paris"), Duration.ofSeconds(5)))
                        .containsExactly(0.0, 1.0);
            }
        }
    }
}
