package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.RenameAlias;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Qdrant's table of collections and aliases: an alias resolves to its collection for data operations but is
 * not itself a collection, alias changes apply all-or-nothing, and deleting a collection drops its aliases.
 * Survives {@link QdrantStandIn#stop()} and {@link QdrantStandIn#restart()}.
 */
final class StandInCatalog {

    private final Map<String, StandInCollection> collections = new LinkedHashMap<>();
    private Map<String, String> aliases = new LinkedHashMap<>();

    synchronized void create(String name, int size, Distance distance, Map<String, SparseVectorParams> sparse) {
        if (name.isEmpty()) {
            throw Rpc.wrongInput("collection name must not be empty");
        }
        if (collections.containsKey(name)) {
            throw Rpc.wrongInput("Collection `" + name + "` already exists!");
        }
        if (aliases.containsKey(name)) {
            throw Rpc.wrongInput("Alias with name `" + name + "` already exists!");
        }
        collections.put(name, new StandInCollection(size, distance, sparse));
    }

    /** Deletes a collection and the aliases pointing to it; false when there was no such collection. */
    synchronized boolean delete(String name) {
        if (collections.remove(name) == null) {
            return false;
        }
        aliases.values().removeIf(name::equals);
        return true;
    }

    /** Whether a collection (not an alias) has this name. */
    synchronized boolean exists(String name) {
        return collections.containsKey(name);
    }

    /** The collection named, directly or through an alias; NOT_FOUND otherwise. */
    synchronized StandInCollection resolve(String collectionOrAlias) {
        StandInCollection collection = collections.get(aliases.getOrDefault(collectionOrAlias, collectionOrAlias));
        if (collection == null) {
            throw Rpc.collectionNotFound(collectionOrAlias);
        }
        return collection;
    }

    synchronized List<String> names() {
        return new ArrayList<>(collections.keySet());
    }

    /** Alias name to collection name. */
    synchronized Map<String, String> aliases() {
        return new LinkedHashMap<>(aliases);
    }

    synchronized List<String> aliasesOf(String collection) {
        return aliases.entrySet().stream().filter(e -> e.getValue().equals(collection)).map(Map.Entry::getKey)
                .toList();
    }

    /** Applies the actions in order to a copy and installs it only when every action succeeded. */
    synchronized void changeAliases(List<AliasOperations> actions) {
        Map<String, String> next = new LinkedHashMap<>(aliases);
        for (AliasOperations action : actions) {
            switch (action.getActionCase()) {
                case CREATE_ALIAS -> create(next, action.getCreateAlias());
                case RENAME_ALIAS -> rename(next, action.getRenameAlias());
                case DELETE_ALIAS -> {
                    String alias = action.getDeleteAlias().getAliasName();
                    if (next.remove(alias) == null) {
                        throw Rpc.aliasNotFound(alias);
                    }
                }
                case ACTION_NOT_SET -> throw Rpc.wrongInput("alias action is not set");
            }
        }
        aliases = next;
    }

    private void create(Map<String, String> next, CreateAlias create) {
        String alias = create.getAliasName();
        if (alias.isEmpty()) {
            throw Rpc.wrongInput("alias name must not be empty");
        }
        if (!collections.containsKey(create.getCollectionName())) {
            throw Rpc.collectionNotFound(create.getCollectionName());
        }
        if (collections.containsKey(alias)) {
            throw Rpc.wrongInput("Collection with name `" + alias + "` already exists!");
        }
        next.put(alias, create.getCollectionName());
    }

    private void rename(Map<String, String> next, RenameAlias rename) {
        String target = next.remove(rename.getOldAliasName());
        if (target == null) {
            throw Rpc.aliasNotFound(rename.getOldAliasName());
        }
        if (collections.containsKey(rename.getNewAliasName())) {
            throw Rpc.wrongInput("Collection with name `" + rename.getNewAliasName() + "` already exists!");
        }
        next.put(rename.getNewAliasName(), target);
    }
}
