package io.faro.stores.keyword;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Turns text into the terms keyword search matches on, with Lucene's analysers: Unicode word boundaries
 * (UAX #29), lower case, and for a language its stop words and stemmer ({@code english}: Porter stemming,
 * possessives removed, Lucene's English stop words). {@code standard} only splits and lower-cases, for text
 * in a language without an analyser here. Both stores analyse chunks when they write them and questions when
 * they search with the same analyser, so its language is part of what a store copy holds: changing it takes a
 * rebuild. Thread-safe (Lucene analysers reuse per-thread token streams).
 */
public final class KeywordAnalyzer implements AutoCloseable {

    /** Terms longer than this (in chars) are dropped: a base64 blob or a hash is not a word anyone searches. */
    static final int MAX_TERM_CHARS = 64;

    private static final Map<String, Supplier<Analyzer>> LANGUAGES = analyzers();

    private final String language;
    private final Analyzer analyzer;

    private KeywordAnalyzer(String language, Analyzer analyzer) {
        this.language = language;
        this.analyzer = analyzer;
    }

    /**
     * The analyser of a language: one of {@link #languages()}.
     *
     * @throws IllegalArgumentException naming the languages there are
     */
    public static KeywordAnalyzer forLanguage(String language) {
        Supplier<Analyzer> analyzer = LANGUAGES.get(language);
        if (analyzer == null) {
            throw new IllegalArgumentException("no keyword analyser for language '" + language + "': use one of "
                    + String.join(", ", LANGUAGES.keySet()));
        }
        return new KeywordAnalyzer(language, analyzer.get());
    }

    /** The languages there are analysers for, {@code standard} among them. */
    public static List<String> languages() {
        return List.copyOf(LANGUAGES.keySet());
    }

    /** The language this analyser was made for, as configured. */
    public String language() {
        return language;
    }

    /** A chunk's terms: how often each occurs, and how many terms the text has in all. */
    public KeywordTerms terms(String text) {
        Map<String, Integer> frequencies = new TreeMap<>();
        int length = 0;
        for (String term : analyze(text)) {
            frequencies.merge(term, 1, Integer::sum);
            length++;
        }
        return new KeywordTerms(frequencies, length);
    }

    /** A question's distinct terms, in the order they first occur. */
    public List<String> queryTerms(String text) {
        return List.copyOf(new LinkedHashSet<>(analyze(text)));
    }

    private List<String> analyze(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                if (term.length() <= MAX_TERM_CHARS) {
                    terms.add(term.toString());
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing text for keyword search failed", e);
        }
        return terms;
    }

    @Override
    public void close() {
        analyzer.close();
    }

    private static Map<String, Supplier<Analyzer>> analyzers() {
        Map<String, Supplier<Analyzer>> languages = new LinkedHashMap<>();
        languages.put("english", EnglishAnalyzer::new);
        languages.put("standard", () -> new StandardAnalyzer(org.apache.lucene.analysis.CharArraySet.EMPTY_SET));
        languages.put("danish", DanishAnalyzer::new);
        languages.put("dutch", DutchAnalyzer::new);
        languages.put("finnish", FinnishAnalyzer::new);
        languages.put("french", FrenchAnalyzer::new);
        languages.put("german", GermanAnalyzer::new);
        languages.put("italian", ItalianAnalyzer::new);
        languages.put("norwegian", NorwegianAnalyzer::new);
        languages.put("portuguese", PortugueseAnalyzer::new);
        languages.put("russian", RussianAnalyzer::new);
        languages.put("spanish", SpanishAnalyzer::new);
        languages.put("swedish", SwedishAnalyzer::new);
        return languages;
    }
}
