package io.faro.stores.qdrant;

import io.faro.core.config.FaroConfig;
import io.faro.core.store.VectorStore;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Qdrant's copies are collections: the alias names the live one, the alias {@code <alias>__previous}
 * the one kept for rollback. Every switch is one {@code UpdateAliases} call, which Qdrant applies
 * atomically.
 */
public final class QdrantCopies implements StoreCopies {

    private static final Logger LOG = LoggerFactory.getLogger(QdrantCopies.class);

    private final QdrantClient client;
    private final String alias;
    private final String previousAlias;
    private final Duration timeout;
    private final QdrantCollections collections;
    private final String language;

    private QdrantCopies(QdrantClient client, String alias, Duration timeout, String language) {
        this.client = client;
        this.alias = alias;
        this.previousAlias = alias + "__previous";
        this.timeout = timeout;
        this.collections = new QdrantCollections(client, timeout);
        this.language = language;
    }

    /** The copies behind an alias, their stores analysing keywords in the default language. */
    public static QdrantCopies open(String url, Optional<String> apiKey, String alias, Duration timeout) {
        return open(url, apiKey, alias, timeout, FaroConfig.DEFAULT_KEYWORD_LANGUAGE);
    }

    /**
     * The copies behind an alias; a copy is made with the keyword vector and its stores analyse keywords in
     * {@code language} ({@code FARO_KEYWORD_LANGUAGE}), so a rebuild is how a collection gains keywords or changes
     * their language.
     */
    public static QdrantCopies open(String url, Optional<String> apiKey, String alias, Duration timeout,
                                    String language) {
        return new QdrantCopies(QdrantStore.connect(url, apiKey, timeout), alias, timeout, language);
    }

    @Override
    public String name() {
        return "qdrant";
    }

    private Map<String, String> aliases() {
        return collections.call(client.listAliasesAsync(timeout), "list aliases").stream()
                .collect(Collectors.toMap(AliasDescription::getAliasName, AliasDescription::getCollectionName));
    }

    @Override
    public String live() {
        String live = aliases().get(alias);
        if (live == null) {
            throw new StoreException("Qdrant has no alias " + alias + "; start FARO once so that it creates it");
        }
        return live;
    }

    @Override
    public String liveModel() {
        return collections.modelOf(live());
    }

    @Override
    public Optional<String> previous() {
        return Optional.ofNullable(aliases().get(previousAlias));
    }

    @Override
    public void discardUnfinished() {
        Map<String, String> aliases = aliases();
        List<String> unfinished = collections.call(client.listCollectionsAsync(timeout), "list collections").stream()
                .filter(name -> name.startsWith(alias + "__") && !aliases.containsValue(name))
                .toList();
        for (String collection : unfinished) {
            LOG.info("removing collection {} left by an unfinished rebuild", collection);
            collections.call(client.deleteCollectionAsync(collection, timeout), "delete " + collection);
        }
    }

    @Override
    public Copy createCopy(String model, int dimension) {
        String collection = collections.create(alias, model, dimension);
        return new Copy(collection, QdrantStore.onExisting(client, collection, timeout, language));
    }

    @Override
    public io.faro.core.store.VectorStore openLive(String model, int dimension) {
        return QdrantStore.onExisting(client, alias, timeout, language);
    }

    @Override
    public void promote(String copy) {
        Map<String, String> aliases = aliases();
        List<AliasOperations> swap = new ArrayList<>();
        if (aliases.containsKey(previousAlias)) {
            swap.add(delete(previousAlias));
        }
        String old = aliases.get(alias);
        if (old != null) {
            swap.add(delete(alias));
            swap.add(create(previousAlias, old));
        }
        swap.add(create(alias, copy));
        collections.call(client.updateAliasesAsync(swap, timeout), "switch " + alias + " to " + copy);
    }

    @Override
    public void rollback() {
        Map<String, String> aliases = aliases();
        String previous = aliases.get(previousAlias);
        if (previous == null) {
            throw new StoreException("there is no previous Qdrant collection to roll back to (alias " + previousAlias
                    + " is missing); it was dropped, or no rebuild has switched yet");
        }
        String live = aliases.get(alias);
        collections.call(client.updateAliasesAsync(List.of(delete(alias), delete(previousAlias),
                create(alias, previous), create(previousAlias, live)), timeout), "roll " + alias + " back");
    }

    @Override
    public void dropPrevious() {
        String previous = previous().orElseThrow(() -> new StoreException("there is no previous Qdrant collection"));
        collections.call(client.updateAliasesAsync(List.of(delete(previousAlias)), timeout), "remove " + previousAlias);
        collections.call(client.deleteCollectionAsync(previous, timeout), "delete " + previous);
    }

    private static AliasOperations create(String alias, String collection) {
        return AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build();
    }

    private static AliasOperations delete(String alias) {
        return AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
