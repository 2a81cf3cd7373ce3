package io.faro.stores.qdrant;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ScoredPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Converts FARO's chunks to Qdrant points and payloads, and Qdrant's answers back. */
final class QdrantPayloads {

    static final String CHUNK_ID = "chunk_id";
    static final String DOC_ID = "doc_id";
    static final String DOC_VERSION = "doc_version";
    static final String CHUNK_INDEX = "chunk_index";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String METADATA = "metadata";
    static final String MODEL = "model";
    /** The document's tenant; a point written before tenants has none and is the default tenant's. */
    static final String TENANT = "tenant";
    /** The groups that may see the chunk (a list of keywords); missing or empty: the whole tenant. */
    static final String ACL = "acl";
    /** When FARO wrote the point, in epoch milliseconds: the start of its version's freshness. */
    static final String INDEXED_AT = "indexed_at";

    private QdrantPayloads() {
    }

    /** Qdrant ids are UUIDs or integers; a name-based UUID makes the chunk id's point id deterministic. */
    static UUID pointId(String chunkId) {
        return UUID.nameUUIDFromBytes(("faro-chunk:" + chunkId).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Value> payload(EmbeddedChunk embedded, long indexedAtMillis) {
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put(CHUNK_ID, value(embedded.chunkId()));
        payload.put(DOC_ID, value(embedded.chunk().docId()));
        payload.put(DOC_VERSION, value(embedded.chunk().docVersion()));
        payload.put(CHUNK_INDEX, value(embedded.chunk().chunkIndex()));
        payload.put(TITLE, value(embedded.chunk().title()));
        payload.put(TEXT, value(embedded.chunk().text()));
        payload.put(METADATA, toValue(embedded.chunk().metadata()));
        payload.put(MODEL, value(embedded.model()));
        payload.put(TENANT, value(embedded.chunk().tenant()));
        payload.put(ACL, list(embedded.chunk().acl().stream().map(group -> value(group)).toList()));
        payload.put(INDEXED_AT, value(indexedAtMillis));
        return payload;
    }

    static SearchHit toHit(ScoredPoint point) {
        Map<String, Value> payload = point.getPayloadMap();
        Object metadata = fromValue(payload.getOrDefault(METADATA, nullValue()));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadataMap = metadata instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        return new SearchHit(
                payload.get(DOC_ID).getStringValue(),
                payload.get(CHUNK_ID).getStringValue(),
                (int) payload.get(CHUNK_INDEX).getIntegerValue(),
                payload.get(TITLE).getStringValue(),
                payload.get(TEXT).getStringValue(),
                metadataMap,
                point.getScore(),
                payload.containsKey(MODEL) ? payload.get(MODEL).getStringValue() : "");
    }

    /** The ACL a point's payload holds (none before ACLs). */
    static List<String> acl(Map<String, Value> payload) {
        Value acl = payload.get(ACL);
        return acl == null || !acl.hasListValue() ? List.of()
                : acl.getListValue().getValuesList().stream().map(Value::getStringValue).toList();
    }

    static Value toValue(Object object) {
        return switch (object) {
            case null -> nullValue();
            case String s -> value(s);
            case Boolean b -> value(b);
            case Integer i -> value((long) i);
            case Long l -> value(l);
            case Number n -> value(n.doubleValue());
            case Map<?, ?> map -> {
                Map<String, Value> fields = new LinkedHashMap<>();
                map.forEach((k, v) -> fields.put(String.valueOf(k), toValue(v)));
                yield value(fields);
            }
            case List<?> items -> list(items.stream().map(QdrantPayloads::toValue).toList());
            default -> value(object.toString());
        };
    }

    static Object fromValue(Value value) {
        return switch (value.getKindCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INTEGER_VALUE -> {
                long l = value.getIntegerValue();
                yield l == (int) l ? (Object) (int) l : (Object) l;
            }
            case DOUBLE_VALUE -> value.getDoubleValue();
            case STRUCT_VALUE -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.getStructValue().getFieldsMap().forEach((k, v) -> map.put(k, fromValue(v)));
                yield map;
            }
            case LIST_VALUE -> {
                List<Object> items = new ArrayList<>();
                value.getListValue().getValuesList().forEach(v -> items.add(fromValue(v)));
                yield items;
            }
            case NULL_VALUE, KIND_NOT_SET -> null;
        };
    }
}
