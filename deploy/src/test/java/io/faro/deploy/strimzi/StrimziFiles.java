package io.faro.deploy.strimzi;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads every YAML file under {@code strimzi/} into the typed models a cluster would hold them as: Strimzi's
 * ({@code io.strimzi:api}, {@code kafka.strimzi.io/v1} only) and fabric8's for the plain Kubernetes objects.
 * Strict, because Kubernetes and the operator drop or merely warn about what they do not know: a field the
 * model does not have, a duplicated key, an older API version, ZooKeeper, or the KRaft and node-pool
 * annotations of Strimzi before 1.0 all fail the read, naming the file and the document.
 */
final class StrimziFiles {

    static final Path DIR = Path.of("..", "strimzi").toAbsolutePath().normalize();
    static final String STRIMZI_API_VERSION = "kafka.strimzi.io/v1";

    private static final Map<String, Class<? extends HasMetadata>> STRIMZI_KINDS = Map.of(
            "Kafka", Kafka.class,
            "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class);
    private static final Map<String, Class<? extends HasMetadata>> KUBERNETES_KINDS = Map.of(
            "v1 ConfigMap", ConfigMap.class,
            "storage.k8s.io/v1 StorageClass", StorageClass.class);
    /** Annotations that Strimzi before 1.0 needed to turn on KRaft and node pools; 1.x has nothing else. */
    private static final Set<String> RETIRED_ANNOTATIONS = Set.of("strimzi.io/kraft", "strimzi.io/node-pools");

    static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrimziFiles() {
    }

    /** One resource and where it was read from: the file relative to {@code strimzi/}, and its document. */
    record Parsed(String source, HasMetadata resource) {

        /** The folder of the file, relative to {@code strimzi/}: a folder holds one alternative of its resources. */
        String folder() {
            int slash = source.lastIndexOf('/');
            return slash < 0 ? "" : source.substring(0, slash);
        }
    }

    /** Every resource of every YAML file under {@code strimzi/}, its sub-folders included. */
    static List<Parsed> readAll() {
        List<Parsed> all = new ArrayList<>();
        for (Path file : yamlFiles()) {
            String name = DIR.relativize(file).toString().replace('\\', '/');
            try {
                all.addAll(parse(Files.readString(file), name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return all;
    }

    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIR, e);
        }
    }

    /** Every document of one YAML text, each into its typed model. */
    static List<Parsed> parse(String yaml, String source) {
        List<Parsed> parsed = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                index++;
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue; // only comments before the first ---
                }
                String where = source + ", document " + index;
                parsed.add(new Parsed(source, typed(document, where)));
            }
        } catch (IOException e) {
            throw new InvalidResource(source + ": " + e.getMessage(), e);
        }
        return parsed;
    }

    private static HasMetadata typed(JsonNode document, String where) throws IOException {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        Class<? extends HasMetadata> type = STRIMZI_KINDS.get(kind);
        if (type != null && !apiVersion.equals(STRIMZI_API_VERSION)) {
            throw new InvalidResource(where + ": " + kind + " has apiVersion '" + apiVersion + "'; Strimzi 1.x serves "
                    + STRIMZI_API_VERSION + " only");
        }
        if (type == null) {
            type = KUBERNETES_KINDS.get(apiVersion + " " + kind);
        }
        if (type == null) {
            throw new InvalidResource(where + ": no model for apiVersion '" + apiVersion + "', kind '" + kind
                    + "'; strimzi/ holds " + STRIMZI_KINDS.keySet() + " (" + STRIMZI_API_VERSION + ") and "
                    + KUBERNETES_KINDS.keySet());
        }
        List<String> zooKeeper = fieldsNamed(document, "zookeeper", "");
        if (!zooKeeper.isEmpty()) {
            throw new InvalidResource(where + ": ZooKeeper is gone from Strimzi 1.x (KRaft only), but the file has "
                    + zooKeeper);
        }
        HasMetadata resource = MAPPER.treeToValue(document, type);
        List<String> unknown = UnknownFields.of(resource);
        if (!unknown.isEmpty()) {
            throw new InvalidResource(where + ": fields the " + kind + " model does not know (the operator would"
                    + " ignore them): " + unknown);
        }
        Map<String, String> annotations = resource.getMetadata() == null ? null
                : resource.getMetadata().getAnnotations();
        if (annotations != null) {
            for (String retired : RETIRED_ANNOTATIONS) {
                if (annotations.containsKey(retired)) {
                    throw new InvalidResource(where + ": annotation " + retired + " is from Strimzi before 1.0;"
                            + " KRaft and node pools are all there is now: remove it");
                }
            }
        }
        return resource;
    }

    /** A deep copy of a model, to change in a test without touching what was read. */
    static <T> T copy(T model, Class<T> type) {
        try {
            return MAPPER.treeToValue(MAPPER.valueToTree(model), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy a " + type.getSimpleName(), e);
        }
    }

    /** The paths of fields whose name contains {@code word}, case-insensitively. */
    private static List<String> fieldsNamed(JsonNode node, String word, String path) {
        List<String> found = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String here = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().toLowerCase(Locale.ROOT).contains(word)) {
                    found.add(here);
                }
                found.addAll(fieldsNamed(field.getValue(), word, here));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found.addAll(fieldsNamed(node.get(i), word, path + "[" + i + "]"));
            }
        }
        return found;
    }

    /** A file under {@code strimzi/} that the cluster would not take as written. */
    static final class InvalidResource extends RuntimeException {

        InvalidResource(String message) {
            super(message);
        }

        InvalidResource(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
