package io.faro.deploy.strimzi;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a typed model took in without knowing them. Strimzi's and fabric8's models do not fail on an unknown
 * field even with {@code FAIL_ON_UNKNOWN_PROPERTIES}: they keep it in an {@code additionalProperties} map (so that a
 * newer operator's fields survive a round trip). A typo or a field of another API version ends up there, at any
 * depth, so every nested model object is searched.
 */
final class UnknownFields {

    private static final String FIELD = "additionalProperties";

    private UnknownFields() {
    }

    /** The path of every unknown field in {@code model} and the objects it holds; empty when there is none. */
    static List<String> of(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, seen));
        } else if (isModel(value.getClass())) {
            for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    Object held = read(field, value);
                    String here = path.isEmpty() ? field.getName() : path + "." + field.getName();
                    if (FIELD.equals(field.getName()) && held instanceof Map<?, ?> unknown) {
                        unknown.keySet().forEach(key -> found.add((path.isEmpty() ? "" : path + ".") + key));
                    } else {
                        walk(held, here, found, seen);
                    }
                }
            }
        }
    }

    /** Only the models hold unknown fields; strings, numbers and the JDK's own types hold none. */
    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && (name.startsWith("io.strimzi.") || name.startsWith("io.fabric8."));
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException | InaccessibleObjectException e) {
            throw new IllegalStateException("cannot read " + field + " to look for unknown fields", e);
        }
    }
}
