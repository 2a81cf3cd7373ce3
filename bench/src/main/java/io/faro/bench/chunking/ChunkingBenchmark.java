package io.faro.bench.chunking;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.data.Squad;
import io.faro.bench.eval.AnswerRanks;
import io.faro.bench.report.Report;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.core.store.SearchMode;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.topology.split.ChunkSplitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench chunking [FILE]}: how chunk size, overlap and the context line (title and headings before a
 * chunk's text when it is embedded) change retrieval quality, for dense, keyword and hybrid search. Everything
 * runs in this process with exact search ({@link ExactRetrieval}), so configurations are compared on retrieval
 * alone, quickly, without a broker or a store; {@code faro bench eval} then measures the chosen one end to end.
 */
@Command(name = "chunking", mixinStandardHelpOptions = true,
        description = "Chunk size, overlap and context line against retrieval quality (dense, keyword, hybrid),"
                + " in-process exact search on a SQuAD file.")
public final class ChunkingBenchmark implements Callable<Integer> {

    static final int TOP_K = 10;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "SQuAD-format file (default: ../shared/eval/squad-v2-dev-sample.json next to this checkout).")
    Path file;

    @Option(names = "--sizes", split = ",", defaultValue = "128,200,256",
            description = "Chunk sizes in tokens to try (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--overlaps", split = ",", defaultValue = "0,20,50",
            description = "Overlaps in tokens to try (default: ${DEFAULT-VALUE}).")
    List<Integer> overlaps;

    @Option(names = "--fusions", split = ",", defaultValue = "",
            description = "Extra hybrid fusions to measure on each configuration, as K:DENSE_WEIGHT:KEYWORD_WEIGHT"
                    + " (e.g. 60:1:1.5); FARO's own fusion is always measured.")
    List<String> fusions;

    @Option(names = "--model", description = "Local embedding model (default: FARO's default).")
    String model;

    @Override
    public Integer call() {
        Report report = new Report("chunking", bench.repositoryRoot());
        Path data = Optional.ofNullable(file).orElse(options.data(bench));
        Squad squad = Squad.read(data);
        List<Squad.Question> questions = squad.questions().stream().filter(Squad.Question::answerable).toList();
        EmbeddingModelName modelName = model == null ? FaroConfig.DEFAULT_EMBEDDING_MODEL
                : EmbeddingModelName.parse(model, "--model");
        try (OnnxEmbedder embedder = OnnxEmbedder.create(modelName)) {
            progress("embedding %d questions", questions.size());
            List<float[]> questionVectors = questions.stream().map(q -> embedder.embedQuery(q.text())).toList();
            Map<String, Object> figures = new LinkedHashMap<>();
            report.line("%d answerable questions, %s, top %d, exact search; answer-hit@1 / @5 / MRR@10:",
                    questions.size(), modelName.id(), TOP_K);
            report.line("  %-30s %7s  %-20s %-20s %-20s", "chunks", "count", "dense", "keyword", "hybrid");
            for (int size : sizes) {
                for (int overlap : overlaps) {
                    if (overlap >= size) {
                        continue;
                    }
                    List<Chunk> chunks = split(squad, size, overlap);
                    for (boolean context : List.of(false, true)) {
                        String name = size + "/" + overlap + (context ? " +context" : "");
                        progress("chunks %s: embedding %d chunks", name, chunks.size());
                        List<float[]> vectors = embedder.embedAll(chunks.stream()
                                .map(chunk -> context ? chunk.contextText() : chunk.text()).toList());
                        figures.put(name, measure(report, name, new ExactRetrieval(chunks, vectors), questions,
                                questionVectors));
                    }
                }
            }
            report.parameter("data", data.toString())
                    .parameter("questions", questions.size())
                    .parameter("model", modelName.id())
                    .parameter("top_k", TOP_K)
                    .run(figures)
                    .note("keyword search always indexes the context line (as both stores do); '+context' also"
                            + " embeds it")
                    .note("a larger chunk contains more answers by its size alone: compare sizes with that in mind");
            report.finish(options.results(bench), System.out);
        }
        return 0;
    }

    /**
     * Every question in each mode, and in each extra fusion asked for, over one chunking's exact search: its row of
     * the report, and of the result's figures.
     */
    private Map<String, Object> measure(Report report, String name, ExactRetrieval retrieval,
                                        List<Squad.Question> questions, List<float[]> questionVectors) {
        Map<String, AnswerRanks> quality = new LinkedHashMap<>();
        for (SearchMode mode : SearchMode.values()) {
            AnswerRanks ranks = new AnswerRanks();
            for (int i = 0; i < questions.size(); i++) {
                ranks.add(retrieval.search(mode, questionVectors.get(i), questions.get(i).text(), TOP_K),
                        questions.get(i).answers());
            }
            quality.put(mode.wireName(), ranks);
        }
        for (String fusion : fusions) {
            if (fusion.isBlank()) {
                continue;
            }
            String[] parts = fusion.split(":");
            AnswerRanks ranks = new AnswerRanks();
            for (int i = 0; i < questions.size(); i++) {
                ranks.add(retrieval.hybrid(questionVectors.get(i), questions.get(i).text(), TOP_K,
                        Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])),
                        questions.get(i).answers());
            }
            report.line("  %-30s %7s  hybrid %s: %s", name, "", fusion, ranks);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("chunks", retrieval.size());
        quality.forEach((mode, ranks) -> row.put(mode, ranks.figures()));
        report.line("  %-30s %7d  %-20s %-20s %-20s", name, retrieval.size(), quality.get("dense"),
                quality.get("keyword"), quality.get("hybrid"));
        return row;
    }

    private static List<Chunk> split(Squad squad, int size, int overlap) {
        ChunkSplitter splitter = new ChunkSplitter(size, overlap);
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < squad.articles().size(); i++) {
            Squad.Article article = squad.articles().get(i);
            chunks.addAll(splitter.split(new Document("chunking-" + i, article.title(), article.text(), Map.of()), 1));
        }
        return chunks;
    }
}
