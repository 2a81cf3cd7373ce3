package io.faro.stores.qdrant;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;

import io.faro.core.access.AccessScope;
import io.faro.core.store.MetadataFilter;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import java.util.List;
import java.util.Optional;

/** Turns FARO's metadata conditions and the caller's access scope into one Qdrant filter. */
final class QdrantFilters {

    private QdrantFilters() {
    }

    /** The Qdrant filter of a search, none when it has neither conditions nor a scope. */
    static Optional<Filter> of(MetadataFilter filter) {
        return filter.isEmpty() ? Optional.empty() : Optional.of(toFilter(filter));
    }

    private static Filter toFilter(MetadataFilter filter) {
        Filter.Builder qdrant = Filter.newBuilder();
        filter.equalTo().forEach((key, value) -> {
            String field = QdrantPayloads.METADATA + "." + key;
            Condition condition = switch (value) {
                case String s -> matchKeyword(field, s);
                case Boolean b -> match(field, b);
                case Number n -> match(field, n.longValue());
                default -> throw new IllegalArgumentException("unsupported filter value for " + key);
            };
            qdrant.addMust(condition);
        });
        if (filter.restricted()) {
            scope(qdrant, filter.scope());
        }
        return qdrant.build();
    }

    /**
     * The caller's tenant (points written before tenants have none: they are the default tenant's) and an ACL
     * that is empty or names one of the caller's groups. Both fields have keyword payload indexes.
     */
    private static void scope(Filter.Builder qdrant, AccessScope scope) {
        Condition tenant = matchKeyword(QdrantPayloads.TENANT, scope.tenant());
        qdrant.addMust(AccessScope.DEFAULT_TENANT.equals(scope.tenant())
                ? filter(Filter.newBuilder().addShould(tenant).addShould(isEmpty(QdrantPayloads.TENANT)).build())
                : tenant);
        Filter.Builder acl = Filter.newBuilder().addShould(isEmpty(QdrantPayloads.ACL));
        if (!scope.groups().isEmpty()) {
            acl.addShould(matchKeywords(QdrantPayloads.ACL, List.copyOf(scope.groups())));
        }
        qdrant.addMust(filter(acl.build()));
    }
}
