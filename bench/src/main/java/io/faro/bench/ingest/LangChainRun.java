package io.faro.bench.ingest;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import io.faro.bench.store.Postgres;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.model.Document;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (c) The peer: LangChain4j's {@link EmbeddingStoreIngestor} into its {@link PgVectorEmbeddingStore},
 * the way a Java developer would ingest the same documents without FARO: the same model, the same
 * recursive splitter with the same token sizes, the store with its default settings (which build no
 * vector index), and every document in one {@code ingest} call.
 */
public final class LangChainRun {

    private LangChainRun() {
    }

    static EmbeddingModel model(EmbeddingModelName name) {
        return switch (name) {
            case ALL_MINILM_L6_V2 -> new AllMiniLmL6V2EmbeddingModel();
            case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel();
        };
    }

    static Map<String, Object> run(String pgUrl, String table, EmbeddingModelName modelName, int chunkSizeTokens,
                                   int overlapTokens, List<Document> documents) {
        return run(pgUrl, table, model(modelName), modelName.dimension(), chunkSizeTokens, overlapTokens, documents);
    }

    /** With any LangChain4j embedding model, such as its OpenAI one against a remote endpoint. */
    public static Map<String, Object> run(String pgUrl, String table, EmbeddingModel model, int dimension,
                                          int chunkSizeTokens, int overlapTokens, List<Document> documents) {
        PgVectorEmbeddingStore store = store(pgUrl, table, dimension);
        EmbeddingStoreIngestor ingestor = EmbeddingStoreIngestor.builder()
                .documentSplitter(DocumentSplitters.recursive(chunkSizeTokens, overlapTokens,
                        new HuggingFaceTokenCountEstimator()))
                .embeddingModel(model)
                .embeddingStore(store)
                .build();
        List<dev.langchain4j.data.document.Document> inputs = documents.stream()
                .map(document -> dev.langchain4j.data.document.Document.from(document.text(),
                        Metadata.from(Map.of("doc_id", document.id(), "title", document.title()))))
                .toList();
        long start = System.nanoTime();
        ingestor.ingest(inputs);
        double seconds = (System.nanoTime() - start) / 1e9;
        long chunks = rows(pgUrl, table);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("chunks", chunks);
        figures.put("seconds", seconds);
        figures.put("chunks_per_second", chunks / seconds);
        return figures;
    }

    private static PgVectorEmbeddingStore store(String pgUrl, String table, int dimension) {
        URI uri = URI.create(pgUrl.replaceFirst("^(jdbc:|r2dbc:)", ""));
        String[] user = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres"
                : uri.getPath().substring(1);
        return PgVectorEmbeddingStore.builder()
                .host(uri.getHost())
                .port(uri.getPort() > 0 ? uri.getPort() : 5432)
                .user(user[0])
                // the store insists on a password; a server that trusts local connections ignores it
                .password(user.length == 2 ? user[1] : "unused")
                .database(database)
                .table(table)
                .dimension(dimension)
                .createTable(true)
                .dropTableFirst(true)
                .build();
    }

    private static long rows(String pgUrl, String table) {
        try (Connection conn = Postgres.connect(pgUrl); Statement statement = conn.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count LangChain4j's rows: " + e.getMessage(), e);
        }
    }
}
