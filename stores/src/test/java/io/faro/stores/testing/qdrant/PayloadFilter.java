package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Qdrant's filter semantics for the subset the stand-in supports: {@code must} (all), {@code should} (at least
 * one), {@code must_not} (none), {@code min_should}, nested filters, {@code has_id}, and field {@code match} on
 * keyword, integer, boolean, keywords (any) and integers (any), and {@code is_empty} (the field is missing, null
 * or an empty array: how FARO finds chunks open to a whole tenant, and points written before tenants). Dotted keys address nested objects and arrays
 * match when any element matches, as in Qdrant. A filter is compiled up front, so an unsupported condition is
 * rejected even when the collection is empty.
 */
final class PayloadFilter {

    private PayloadFilter() {
    }

    /** The filter as a predicate; a request without a filter ({@code present} false) matches every point. */
    static Predicate<StoredPoint> compile(boolean present, Filter filter) {
        return present ? compile(filter) : point -> true;
    }

    static Predicate<StoredPoint> compile(Filter filter) {
        List<Predicate<StoredPoint>> must = compileAll(filter.getMustList());
        List<Predicate<StoredPoint>> should = compileAll(filter.getShouldList());
        List<Predicate<StoredPoint>> mustNot = compileAll(filter.getMustNotList());
        List<Predicate<StoredPoint>> minShould = compileAll(filter.getMinShould().getConditionsList());
        long minCount = filter.getMinShould().getMinCount();
        boolean hasMinShould = filter.hasMinShould();
        return point -> must.stream().allMatch(p -> p.test(point))
                && (should.isEmpty() || should.stream().anyMatch(p -> p.test(point)))
                && mustNot.stream().noneMatch(p -> p.test(point))
                && (!hasMinShould || minShould.stream().filter(p -> p.test(point)).count() >= minCount);
    }

    /**
     * Qdrant's {@code Filter::merge_owned}, how a query's filter reaches its prefetches: the two filters' must,
     * should and must_not lists are concatenated, and their min_should conditions too (keeping the larger count).
     * Not quite an AND: two filters' should lists become one, so a point needs to match one condition of either.
     */
    static Filter merge(Filter first, Filter second) {
        Filter.Builder merged = first.toBuilder().addAllMust(second.getMustList()).addAllShould(second.getShouldList())
                .addAllMustNot(second.getMustNotList());
        if (second.hasMinShould()) {
            merged.setMinShould(!first.hasMinShould() ? second.getMinShould()
                    : first.getMinShould().toBuilder().addAllConditions(second.getMinShould().getConditionsList())
                            .setMinCount(Math.max(first.getMinShould().getMinCount(),
                                    second.getMinShould().getMinCount())).build());
        }
        return merged.build();
    }

    private static List<Predicate<StoredPoint>> compileAll(List<Condition> conditions) {
        List<Predicate<StoredPoint>> compiled = new ArrayList<>(conditions.size());
        for (Condition condition : conditions) {
            compiled.add(compile(condition));
        }
        return compiled;
    }

    private static Predicate<StoredPoint> compile(Condition condition) {
        return switch (condition.getConditionOneOfCase()) {
            case FIELD -> compile(condition.getField());
            case HAS_ID -> hasId(condition.getHasId().getHasIdList());
            case IS_EMPTY -> isEmpty(condition.getIsEmpty().getKey());
            case FILTER -> compile(condition.getFilter());
            default -> throw unsupported(condition.getConditionOneOfCase().name());
        };
    }

    private static Predicate<StoredPoint> hasId(List<PointId> ids) {
        Set<PointKey> keys = new HashSet<>();
        for (PointId id : ids) {
            keys.add(PointKey.of(id));
        }
        return point -> keys.contains(point.key());
    }

    /** Qdrant's is_empty: no value at the key, once nulls are dropped and arrays flattened. */
    private static Predicate<StoredPoint> isEmpty(String key) {
        return point -> valuesAt(point.payload(), key).stream().allMatch(Value::hasNullValue);
    }

    private static Predicate<StoredPoint> compile(FieldCondition field) {
        if (!field.hasMatch() || field.hasRange() || field.hasGeoBoundingBox() || field.hasGeoRadius()
                || field.hasValuesCount() || field.hasGeoPolygon() || field.hasDatetimeRange()
                || field.hasIsEmpty() || field.hasIsNull()) {
            throw unsupported("field condition on `" + field.getKey() + "` (only match is supported)");
        }
        Predicate<Value> match = compile(field.getMatch());
        String key = field.getKey();
        return point -> valuesAt(point.payload(), key).stream().anyMatch(match);
    }

    private static Predicate<Value> compile(Match match) {
        return switch (match.getMatchValueCase()) {
            case KEYWORD -> {
                String keyword = match.getKeyword();
                yield v -> v.hasStringValue() && v.getStringValue().equals(keyword);
            }
            case INTEGER -> {
                long integer = match.getInteger();
                yield v -> v.hasIntegerValue() && v.getIntegerValue() == integer;
            }
            case BOOLEAN -> {
                boolean bool = match.getBoolean();
                yield v -> v.hasBoolValue() && v.getBoolValue() == bool;
            }
            case KEYWORDS -> {
                Set<String> keywords = Set.copyOf(match.getKeywords().getStringsList());
                yield v -> v.hasStringValue() && keywords.contains(v.getStringValue());
            }
            case INTEGERS -> {
                Set<Long> integers = Set.copyOf(match.getIntegers().getIntegersList());
                yield v -> v.hasIntegerValue() && integers.contains(v.getIntegerValue());
            }
            default -> throw unsupported("match " + match.getMatchValueCase());
        };
    }

    /**
     * The values a (dotted) key reaches in a payload, with arrays flattened along the way and at the end;
     * a {@code []} suffix on a segment is accepted and means the same.
     */
    static List<Value> valuesAt(Map<String, Value> payload, String key) {
        String[] segments = key.split("\\.", -1);
        List<Value> current = new ArrayList<>();
        Value first = payload.get(stripBrackets(segments[0]));
        if (first != null) {
            current.add(first);
        }
        for (int i = 1; i < segments.length && !current.isEmpty(); i++) {
            String segment = stripBrackets(segments[i]);
            List<Value> next = new ArrayList<>();
            for (Value value : flatten(current)) {
                if (value.hasStructValue()) {
                    Value child = value.getStructValue().getFieldsMap().get(segment);
                    if (child != null) {
                        next.add(child);
                    }
                }
            }
            current = next;
        }
        return flatten(current);
    }

    private static String stripBrackets(String segment) {
        return segment.endsWith("[]") ? segment.substring(0, segment.length() - 2) : segment;
    }

    private static List<Value> flatten(List<Value> values) {
        List<Value> flat = new ArrayList<>();
        for (Value value : values) {
            if (value.hasListValue()) {
                flat.addAll(flatten(value.getListValue().getValuesList()));
            } else {
                flat.add(value);
            }
        }
        return flat;
    }

    private static RuntimeException unsupported(String what) {
        return Rpc.unsupported("condition: " + what);
    }
}
