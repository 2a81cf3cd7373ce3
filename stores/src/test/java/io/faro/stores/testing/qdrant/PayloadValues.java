package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Qdrant payload values into plain Java (String, Long, Double, Boolean, null, List, Map) so tests can
 * inspect what a client stored, as Qdrant's JSON view of a payload would show it.
 */
final class PayloadValues {

    private PayloadValues() {
    }

    static Map<String, Object> toJava(Map<String, Value> payload) {
        Map<String, Object> result = new LinkedHashMap<>();
        payload.forEach((key, value) -> result.put(key, toJava(value)));
        return Collections.unmodifiableMap(result);
    }

    static Object toJava(Value value) {
        return switch (value.getKindCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INTEGER_VALUE -> value.getIntegerValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BOOL_VALUE -> value.getBoolValue();
            case STRUCT_VALUE -> toJava(value.getStructValue().getFieldsMap());
            case LIST_VALUE -> {
                List<Object> list = new ArrayList<>();
                value.getListValue().getValuesList().forEach(v -> list.add(toJava(v)));
                yield Collections.unmodifiableList(list);
            }
            case NULL_VALUE, KIND_NOT_SET -> null;
        };
    }
}
