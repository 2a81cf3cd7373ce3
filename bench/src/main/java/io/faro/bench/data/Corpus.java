package io.faro.bench.data;

import io.faro.core.model.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documents the throughput benchmarks ingest: every paragraph of a SQuAD file as one document,
 * repeated with distinct ids until there are as many as asked. Real text, the same for every system
 * measured.
 */
public final class Corpus {

    private Corpus() {
    }

    /** {@code count} documents, ids {@code <prefix>-<n>}, cycling through the paragraphs in file order. */
    public static List<Document> paragraphs(Squad squad, int count, String prefix) {
        record Text(String title, String text) {
        }
        List<Text> paragraphs = new ArrayList<>();
        for (Squad.Article article : squad.articles()) {
            article.paragraphs().forEach(paragraph -> paragraphs.add(new Text(article.title(), paragraph.context())));
        }
        List<Document> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Text source = paragraphs.get(i % paragraphs.size());
            documents.add(new Document(prefix + "-" + i, source.title(), source.text(), Map.of("bench", prefix)));
        }
        return documents;
    }

    /** Each article as one document, ids {@code <prefix>-<article index>}. */
    public static List<Document> articles(Squad squad, String prefix) {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < squad.articles().size(); i++) {
            Squad.Article article = squad.articles().get(i);
            documents.add(new Document(prefix + "-" + i, article.title(), article.text(), Map.of("bench", prefix)));
        }
        return documents;
    }
}
