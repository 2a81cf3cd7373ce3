package io.faro.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.Component;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.store.StoreKind;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.topology.RecordingEmbedder;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.sink.StoreSinkTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The stream applications use exactly the ids and topics {@link KafkaIds} lists, so ACLs written from it fit. */
class KafkaIdsOfTopologiesTest {

    private final FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.INSTANCE_ID, "pod-7")));

    /** A stream application as a component runs it. */
    private record Application(Component component, Topology topology, Properties props) {
    }

    private List<Application> applications() {
        Embedders embedders = new Embedders(model -> new RecordingEmbedder());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var pgvector = new InMemoryVectorStore(StoreKind.PGVECTOR.id());
        var qdrant = new InMemoryVectorStore(StoreKind.QDRANT.id());
        return List.of(
                new Application(Component.INGEST, IngestTopology.build(config, new RecordingEmbedder(), meters),
                        IngestTopology.streamsConfig(config)),
                new Application(Component.SINK_PGVECTOR, StoreSinkTopology.build(config, pgvector, embedders, meters),
                        StoreSinkTopology.streamsConfig(config, pgvector)),
                new Application(Component.SINK_QDRANT, StoreSinkTopology.build(config, qdrant, embedders, meters),
                        StoreSinkTopology.streamsConfig(config, qdrant)));
    }

    @Test
    void shouldRunEachApplicationUnderTheGroupKafkaIdsGivesItsComponent() {
        for (Application app : applications()) {
            assertThat(List.of(app.props().getProperty(StreamsConfig.APPLICATION_ID_CONFIG)))
                    .as(app.component().id())
                    .isEqualTo(KafkaIds.of(app.component()).groups());
        }
    }

    @Test
    void shouldNameEachStaticMemberAfterItsApplicationAndInstance() {
        for (Application app : applications()) {
            String applicationId = app.props().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
            assertThat(app.props().get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)))
                    .isEqualTo(KafkaIds.groupInstanceId(applicationId, "pod-7"))
                    .isEqualTo(applicationId + "-pod-7");
        }
    }

    @Test
    void shouldUseTransactionsExactlyWhereKafkaIdsListsTransactionalIds() {
        for (Application app : applications()) {
            boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                    app.props().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
            assertThat(KafkaIds.of(app.component()).transactionalIdPrefixes().isEmpty())
                    .as(app.component().id())
                    .isEqualTo(!exactlyOnce);
        }
    }

    @Test
    void shouldReadAndWriteTheTopicsKafkaIdsLists() {
        for (Application app : applications()) {
            KafkaIds.Access access = KafkaIds.of(app.component());
            assertThat(sources(app.topology())).as(app.component().id()).isEqualTo(new TreeSet<>(access.reads()));
            assertThat(sinks(app.topology())).as(app.component().id()).isEqualTo(new TreeSet<>(access.writes()));
        }
    }

    private static Set<String> sources(Topology topology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            sub.nodes().stream().filter(TopologyDescription.Source.class::isInstance)
                    .forEach(node -> topics.addAll(((TopologyDescription.Source) node).topicSet()));
        }
        return topics;
    }

    private static Set<String> sinks(Topology topology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            sub.nodes().stream().filter(TopologyDescription.Sink.class::isInstance)
                    .forEach(node -> topics.add(((TopologyDescription.Sink) node).topic()));
        }
        return topics;
    }
}
