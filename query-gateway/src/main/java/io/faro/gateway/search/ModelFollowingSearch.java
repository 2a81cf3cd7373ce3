package io.faro.gateway.search;

import io.faro.core.model.SearchHit;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches one store with the question embedded by the model the store holds. When
 * {@code faro reembed} switches the store to another model, the first search after the switch
 * notices (its hits name the new model, or a vector of the old dimension is refused), embeds the
 * question again with the new model and searches once more, so no query fails or is answered with
 * vectors of two models; later searches use the new model at once. Costs nothing until a switch.
 * A keyword search carries no vector, so it embeds nothing and has no model to follow.
 */
final class ModelFollowingSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollowingSearch.class);

    private final VectorStore store;
    private volatile String model;

    ModelFollowingSearch(VectorStore store, String model) {
        this.store = store;
        this.model = model;
    }

    String name() {
        return store.name();
    }

    /** The model the store held at the last search. */
    String model() {
        return model;
    }

    List<SearchHit> search(QueryVectors vectors, Question question) {
        if (!question.mode().usesVector()) {
            return store.search(question.toStore(null));
        }
        String asked = model;
        List<SearchHit> hits;
        try {
            hits = store.search(question.toStore(vectors.forModel(asked)));
        } catch (SearchModeUnavailableException e) {
            throw e; // the store cannot answer this mode with any model
        } catch (StoreException e) {
            String live;
            try {
                live = store.liveModel();
            } catch (StoreException again) {
                e.addSuppressed(again);
                throw e;
            }
            if (live.equals(asked)) {
                throw e;
            }
            return follow(live, vectors, question);
        }
        String found = hits.isEmpty() ? asked : hits.getFirst().model();
        return found.isEmpty() || found.equals(asked) ? hits : follow(found, vectors, question);
    }

    private List<SearchHit> follow(String live, QueryVectors vectors, Question question) {
        LOG.info("{} now holds vectors of model {} (was {}); queries to it use that model", store.name(), live, model);
        model = live;
        return store.search(question.toStore(vectors.forModel(live)));
    }
}
