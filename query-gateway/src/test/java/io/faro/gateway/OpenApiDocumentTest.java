package io.faro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.auth.CallerGate;
import io.faro.gateway.health.Health;
import io.faro.gateway.http.RequestFields;
import io.faro.gateway.openapi.OpenApiEndpoint;
import io.faro.gateway.search.Retriever;
import io.faro.gateway.search.SearchService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code META-INF/openapi.yaml} is written by hand; these tests keep it true. It is a valid OpenAPI 3.1
 * document; it has every route the gateway registers and no other; each JSON request schema has exactly the
 * fields its route takes ({@link RequestFields}); each response schema has exactly the fields of the record
 * the gateway writes; it lists every problem type the gateway sends; and the gateway serves it.
 *
 * <p>When one of these fails, change the document (or the code) so that they agree again: a client generated
 * from the document must be able to call every route, and must not send what the gateway refuses.
 */
class OpenApiDocumentTest {

    /** The JSON request body of each route: its fields, declared where the route reads them. */
    private static final Map<String, RequestFields> REQUEST_BODIES = Map.of(
            "POST /v1/search", SearchService.SEARCH_REQUEST,
            "POST /v1/query", SearchService.QUERY_REQUEST,
            "POST /v1/documents", staticField("io.faro.gateway.documents.DocumentContract", "FIELDS"));

    /** Each response schema, and the record the gateway writes for it. */
    private static final Map<String, String> RESPONSE_RECORDS = Map.ofEntries(
            Map.entry("SearchResponse", "io.faro.gateway.search.SearchService$SearchResponse"),
            Map.entry("Hit", "io.faro.gateway.search.SearchService$Hit"),
            Map.entry("Ranks", "io.faro.core.model.SearchHit$Ranks"),
            Map.entry("QueryResponse", "io.faro.gateway.search.SearchService$QueryResponse"),
            Map.entry("Source", "io.faro.gateway.search.SearchService$Source"),
            Map.entry("Citation", "io.faro.gateway.answer.Answerer$Citation"),
            Map.entry("Generation", "io.faro.gateway.answer.Answerer$Generation"),
            Map.entry("SourcesEvent", "io.faro.gateway.search.AnswerEvents$SourcesEvent"),
            Map.entry("DeltaEvent", "io.faro.gateway.search.AnswerEvents$DeltaEvent"),
            Map.entry("ErrorEvent", "io.faro.gateway.search.AnswerEvents$ErrorEvent"),
            Map.entry("DoneEvent", "io.faro.gateway.search.AnswerEvents$DoneEvent"),
            Map.entry("Accepted", "io.faro.gateway.documents.UploadService$Accepted"),
            Map.entry("DocumentView", "io.faro.gateway.documents.DocumentService$DocumentView"),
            Map.entry("StoreView", "io.faro.gateway.documents.DocumentService$StoreView"),
            Map.entry("RejectionView", "io.faro.gateway.documents.DocumentService$RejectionView"),
            Map.entry("HealthReport", "io.faro.gateway.health.HealthService$Report"),
            Map.entry("Problem", "io.faro.gateway.http.Problem"));

    /** Schemas of values rather than of a record or a request body: checked by hand when they change. */
    private static final Set<String> VALUE_SCHEMAS = Set.of("TopK", "Filter", "SearchMode", "Timings", "File",
            "DocumentForm");

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"(/problems/[a-z0-9-]+)\"");

    private final JsonNode document = read();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void closeMeters() {
        meters.close();
    }

    @Test
    void shouldBeAValidOpenApi31Document() {
        // given the document as the gateway serves it; when a full OpenAPI parser reads it
        SwaggerParseResult result = parse(yaml());

        // then it is OpenAPI 3.1, with no message about its structure or its references
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void shouldHaveTheValidatorRefuseABrokenDocument() throws Exception {
        // given the document with an operation that has no responses and a reference to a missing schema
        ObjectNode broken = document.deepCopy();
        ((ObjectNode) broken.at("/paths/~1metrics/get")).remove("responses");
        ((ObjectNode) broken.at("/components/schemas/SearchRequest/properties/top_k")).put("$ref",
                "#/components/schemas/NoSuchSchema");

        // when the parser reads it, then it says what is wrong (so the check above is not vacuous)
        List<String> messages = parse(Json.mapper().writeValueAsString(broken)).getMessages();
        assertThat(String.join("\n", messages)).contains("responses").contains("NoSuchSchema");
    }

    @Test
    void shouldDescribeEveryRouteTheGatewayRegistersAndNoOther() {
        // given the routes the gateway's routing registers, services and features included
        RouteRecorder recorder = new RouteRecorder();
        FaroConfig config = FaroConfig.from(Env.of(Map.of()));
        HashingEmbedder embedder = new HashingEmbedder();
        InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
        try (Retriever retriever = new Retriever(new Embedders(model -> embedder), embedder.model(), store,
                     Optional.empty(), config.search(), meters)) {
            GatewayServer.routing(recorder.builder(), config, new GatewayServer.Dependencies(
                    new Embedders(model -> embedder), embedder.model(), store, Optional.empty(),
                    new ExtractiveAnswerer(), new Health(), meters), retriever,
                    CallerGate.create(config.auth(), config.http().host(), meters), new AtomicInteger());
        }

        // when they are set beside the document's operations (a path parameter matches Helidon's '*')
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(operation -> !operation.getKey().equals("parameters"))
                .forEach(operation -> documented.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " "
                        + path.getKey().replaceAll("\\{[^}]+}", "*"))));

        // then each is in the other, and only the not-found catch-all is left undocumented
        assertThat(recorder.routes()).containsExactlyElementsOf(documented);
        assertThat(recorder.fallbacks()).containsExactly("ANY");
    }

    @Test
    void shouldListExactlyTheFieldsEachJsonRequestBodyTakes() {
        // given every operation that takes a JSON body
        Map<String, String> jsonBodies = new LinkedHashMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode schema = operation.getValue().at("/requestBody/content/application~1json/schema/$ref");
            if (!schema.isMissingNode()) {
                jsonBodies.put(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                        schemaName(schema.asText()));
            }
        }));

        // then each route's body schema is the one its RequestFields names, with exactly its fields, no others
        assertThat(jsonBodies.keySet()).containsExactlyInAnyOrderElementsOf(REQUEST_BODIES.keySet());
        REQUEST_BODIES.forEach((route, fields) -> {
            assertThat(jsonBodies.get(route)).as("schema of %s", route).isEqualTo(fields.schema());
            JsonNode schema = schema(fields.schema());
            assertThat(propertyNames(schema)).as("properties of %s in openapi.yaml, against its RequestFields", fields.schema())
                    .isEqualTo(new TreeSet<>(fields.names()));
            assertThat(schema.path("additionalProperties").asBoolean(true))
                    .as("%s refuses other fields, as the gateway does", fields.schema()).isFalse();
        });
    }

    @Test
    void shouldListExactlyTheFieldsOfEachRecordTheGatewayWrites() throws Exception {
        // given each response schema and the record behind it; when the record's JSON names are read as
        // the gateway's mapper writes them
        for (Map.Entry<String, String> entry : RESPONSE_RECORDS.entrySet()) {
            Set<String> written = serializedNames(Class.forName(entry.getValue()));

            // then the schema has exactly those properties
            assertThat(propertyNames(schema(entry.getKey()))).as("properties of %s in openapi.yaml, against the record %s", entry.getKey(),
                    entry.getValue()).isEqualTo(written);
        }
        // and every schema is a request body, a record or a named value: none is left unchecked or stale
        Set<String> known = new HashSet<>(RESPONSE_RECORDS.keySet());
        REQUEST_BODIES.values().forEach(fields -> known.add(fields.schema()));
        known.addAll(VALUE_SCHEMAS);
        assertThat(keys(document.at("/components/schemas"))).isEqualTo(new TreeSet<>(known));
    }

    @Test
    void shouldTakeOverHttpWhatTheTopicContractNames() throws IOException {
        // given the contract of faro.documents, the schema the pipeline checks records against
        JsonNode topic = Json.mapper().readTree(Files.readString(Path.of("..", "docs", "document.schema.json")));

        // then a document uploaded as JSON takes the same fields (only unknown ones are refused, over HTTP)
        assertThat(propertyNames(schema("Document"))).isEqualTo(propertyNames(topic));
    }

    @Test
    void shouldListEveryProblemTypeTheGatewaySends() throws IOException {
        // given every problem type written in the gateway's code
        Set<String> sent = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = PROBLEM_TYPE.matcher(Files.readString(source));
                while (matcher.find()) {
                    sent.add(matcher.group(1));
                }
            }
        }

        // then the Problem schema lists exactly those
        Set<String> documented = new TreeSet<>();
        schema("Problem").at("/properties/type/enum").forEach(type -> documented.add(type.asText()));
        assertThat(sent).isNotEmpty();
        assertThat(documented).isEqualTo(sent);
    }

    @Test
    void shouldServeTheDocumentAsYamlAndAsJson() throws Exception {
        // given a running gateway
        HashingEmbedder embedder = new HashingEmbedder();
        try (GatewayServer server = GatewayServer.start(FaroConfig.from(Env.of(Map.of())).withPorts(0, 0, 0),
                     new GatewayServer.Dependencies(new Embedders(model -> embedder), embedder.model(),
                             new InMemoryVectorStore("pgvector"), Optional.empty(), new ExtractiveAnswerer(),
                             new Health(), meters));
             HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + OpenApiEndpoint.PATH);

            // when the document is asked for, as is and as JSON
            HttpResponse<String> asYaml = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            HttpResponse<String> asJson = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

            // then both are this document
            assertThat(asYaml.statusCode()).isEqualTo(200);
            assertThat(asYaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
            assertThat(asYaml.body()).isEqualTo(yaml());
            assertThat(asJson.statusCode()).isEqualTo(200);
            assertThat(asJson.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(Json.mapper().readTree(asJson.body())).isEqualTo(document);
        }
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode schema(String name) {
        JsonNode schema = document.at("/components/schemas/" + name);
        assertThat(schema.isObject()).as("schema %s in the document", name).isTrue();
        return schema;
    }

    private static String schemaName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static Set<String> propertyNames(JsonNode schema) {
        return keys(schema.path("properties"));
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The names {@link Json#mapper()} writes for {@code type}'s fields (snake_case). */
    private static Set<String> serializedNames(Class<?> type) {
        ObjectMapper mapper = Json.mapper();
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        return description.findProperties().stream().map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static RequestFields staticField(String className, String fieldName) {
        try {
            Field field = Class.forName(className).getDeclaredField(fieldName);
            field.setAccessible(true);
            return (RequestFields) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the request fields " + className + "." + fieldName + " moved", e);
        }
    }

    private static SwaggerParseResult parse(String contents) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        return new OpenAPIV3Parser().readContents(contents, null, options);
    }

    private static String yaml() {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(OpenApiEndpoint.RESOURCE)) {
            assertThat(in).as(OpenApiEndpoint.RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read() {
        try {
            return new YAMLMapper().readTree(yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
