package io.faro.embedders.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.faro.core.config.FaroConfig.RerankEndpoint;
import io.faro.core.config.FaroConfig.RerankFormat;
import io.faro.core.config.Secret;
import io.faro.core.rerank.RerankException;
import io.faro.core.rerank.RerankException.Reason;
import io.faro.embedders.testing.RerankStandIn;
import io.faro.embedders.testing.RerankStandIn.Format;
import io.faro.embedders.testing.RerankStandIn.Malformed;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpRerankerTest {

    private static final String KEY = "co-secret-key";
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final List<String> PASSAGES = List.of(
            "Rain is expected over the hills",
            "The capital of France is Paris",
            "Paris hosts the Louvre");

    private RerankStandIn standIn;

    @AfterEach
    void stop() {
        if (standIn != null) {
            standIn.close();
        }
    }

    private HttpReranker cohere() throws IOException {
        standIn = RerankStandIn.start(Format.COHERE).apiKey(KEY);
        return HttpReranker.create(new RerankEndpoint(standIn.url(), Optional.of("rerank-v3.5"),
                Optional.of(Secret.of(KEY)), RerankFormat.COHERE));
    }

    private HttpReranker tei() throws IOException {
        standIn = RerankStandIn.start(Format.TEI);
        return HttpReranker.create(new RerankEndpoint(standIn.url(), Optional.empty(), Optional.empty(),
                RerankFormat.TEI));
    }

    private HttpReranker of(Format format) throws IOException {
        return format == Format.COHERE ? cohere() : tei();
    }

    @Test
    void shouldScoreEachPassageInItsOwnOrderFromCoheresBestFirstAnswer() throws IOException {
        HttpReranker reranker = cohere();

        List<Double> scores = reranker.rerank("capital of France", PASSAGES, DEADLINE);

        assertThat(scores).hasSize(3);
        assertThat(scores.get(0)).isCloseTo(0.0, within(1e-9));
        assertThat(scores.get(1)).isCloseTo(1.0, within(1e-9));
        assertThat(scores.get(2)).isCloseTo(0.0, within(1e-9));
        RerankStandIn.Received request = standIn.received().getFirst();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.body().get("model").asText()).isEqualTo("rerank-v3.5");
        assertThat(request.body().get("query").asText()).isEqualTo("capital of France");
        assertThat(request.body().get("documents")).extracting(node -> node.asText())
                .containsExactlyElementsOf(PASSAGES);
        assertThat(request.body().has("top_n")).as("every passage is scored").isFalse();
    }

    @Test
    void shouldSpeakTeisShapeWhenToldTo() throws IOException {
        HttpReranker reranker = tei();
        standIn.rule((query, passage) -> passage.contains("Paris") ? (passage.contains("capital") ? 0.9 : 0.5) : 0.1);

        List<Double> scores = reranker.rerank("capital of France", PASSAGES, DEADLINE);

        assertThat(scores).containsExactly(0.1, 0.9, 0.5);
        RerankStandIn.Received request = standIn.received().getFirst();
        assertThat(request.body().get("texts")).extracting(node -> node.asText()).containsExactlyElementsOf(PASSAGES);
        assertThat(request.body().get("truncate").asBoolean()).isTrue();
        assertThat(request.body().has("documents")).isFalse();
        assertThat(request.header("Authorization")).isNull();
    }

    @Test
    void shouldSendNoModelWhenNoneIsSetAndHearTheServersRefusal() throws IOException {
        standIn = RerankStandIn.start(Format.COHERE);
        HttpReranker reranker = HttpReranker.create(new RerankEndpoint(standIn.url(), Optional.empty(),
                Optional.empty(), RerankFormat.COHERE));

        assertThatThrownBy(() -> reranker.rerank("q", PASSAGES, DEADLINE))
                .isInstanceOfSatisfying(RerankException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ERROR))
                .hasMessageContaining("HTTP 400").hasMessageContaining("model must be specified");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void shouldTimeOutAtTheDeadlineWhenTheServerHoldsItsAnswer(Format format) throws IOException {
        HttpReranker reranker = of(format);
        standIn.then(new RerankStandIn.Held());

        RerankException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> org.junit.jupiter.api.Assertions
                .assertThrows(RerankException.class, () -> reranker.rerank("q", PASSAGES, Duration.ofMillis(200))));

        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("200 ms");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void shouldFailOnAServerErrorQuotingItButNeverTheKey(Format format) throws IOException {
        HttpReranker reranker = of(format);
        standIn.then(new RerankStandIn.Status(500));

        assertThatThrownBy(() -> reranker.rerank("q", PASSAGES, DEADLINE))
                .isInstanceOfSatisfying(RerankException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ERROR))
                .hasMessageContaining("HTTP 500").hasMessageContaining("stand-in says 500")
                .hasMessageNotContaining(KEY);
        assertThat(reranker.name()).doesNotContain(KEY).contains("127.0.0.1");
    }

    @Test
    void shouldFailWithAWrongKey() throws IOException {
        standIn = RerankStandIn.start(Format.COHERE).apiKey(KEY);
        HttpReranker reranker = HttpReranker.create(new RerankEndpoint(standIn.url(), Optional.of("m"),
                Optional.of(Secret.of("wrong")), RerankFormat.COHERE));

        assertThatThrownBy(() -> reranker.rerank("q", PASSAGES, DEADLINE))
                .isInstanceOf(RerankException.class).hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong");
    }

    @ParameterizedTest
    @EnumSource(Malformed.Kind.class)
    void shouldRefuseAnAnswerThatDoesNotScoreEveryPassageOnce(Malformed.Kind kind) throws IOException {
        for (Format format : Format.values()) {
            HttpReranker reranker = of(format);
            standIn.then(new Malformed(kind));

            assertThatThrownBy(() -> reranker.rerank("q", PASSAGES, DEADLINE)).as("%s %s", format, kind)
                    .isInstanceOfSatisfying(RerankException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
            standIn.close();
        }
    }

    @Test
    void shouldFailWhenTheEndpointCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpReranker reranker = HttpReranker.create(new RerankEndpoint("http://127.0.0.1:" + closedPort + "/rerank",
                Optional.empty(), Optional.empty(), RerankFormat.TEI));

        assertThatThrownBy(() -> reranker.rerank("q", PASSAGES, DEADLINE))
                .isInstanceOfSatisfying(RerankException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ERROR))
                .hasMessageContaining("cannot be reached");
    }
}
