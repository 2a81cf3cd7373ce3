package io.faro.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void shouldFindMetricNamesButNotFunctionsLabelsKeywordsOrStrings() {
        String expr = "histogram_quantile(0.95, sum by (le, store) (rate(faro_freshness_seconds_bucket"
                + "{namespace=~\"$namespace\", le=\"2.0\"}[$__rate_interval]))) / on (store) group_left "
                + "max without (instance) (faro_store_vectors) > bool 0 or vector(0) "
                + "and label_replace(kafka_stream_client_state, \"application\", \"$1\", \"client_id\", \"(faro-.+)\")";

        assertThat(PromQl.metricNames(expr))
                .containsExactly("faro_freshness_seconds_bucket", "faro_store_vectors", "kafka_stream_client_state");
    }

    @Test
    void shouldFindTheMetricOfAVariableQuery() {
        assertThat(PromQl.variableMetricNames("label_values(jvm_info{namespace=~\"$namespace\"}, instance)"))
                .containsExactly("jvm_info");
    }

    @Test
    void shouldReadSelectorsWithTheirMatchers() {
        var selectors = PromQl.selectors("sum(rate(faro_documents_total{namespace=~\"$namespace\", outcome=\"chunked\"}[5m]))");

        assertThat(selectors).singleElement().satisfies(selector -> {
            assertThat(selector.metric()).isEqualTo("faro_documents_total");
            assertThat(selector.matchers()).extracting(PromQl.LabelMatcher::label, PromQl.LabelMatcher::op,
                            PromQl.LabelMatcher::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("namespace", "=~", "$namespace"),
                            org.assertj.core.groups.Tuple.tuple("outcome", "=", "chunked"));
        });
    }
}
