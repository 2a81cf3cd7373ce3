package io.faro.bench.eval;

import static io.faro.bench.report.Progress.progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.query.SearchClient;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.bench.store.ExactSearch;
import io.faro.bench.store.PgExactSearch;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.core.model.Document;
import io.faro.core.store.SearchMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
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
 * {@code faro bench eval [FILE]}: retrieval quality on a SQuAD-format file. Each article is published
 * as one document; every answerable question is asked through {@code /v1/search} in each mode (dense, keyword,
 * hybrid), and again by exact dense search over the same chunks in pgvector; answer-hit@1/@5/@10 and MRR@10
 * side by side show what each mode finds and what the pipeline's approximate search loses.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Retrieval quality on SQuAD: answer-hit@1/@5/@10 and MRR@10 of /v1/search in each mode and of"
                + " exact dense search.")
public final class EvalBenchmark implements Callable<Integer> {

    static final int TOP_K = 10;
    static final double TARGET_HIT5_GAP = 0.01;
    static final double TARGET_HYBRID_HIT1 = 0.80;
    static final double TARGET_HYBRID_HIT5 = 0.97;
    static final double TARGET_HYBRID_MRR10 = 0.86;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "SQuAD-format file (default: ../shared/eval/squad-v2-dev-sample.json next to this checkout).")
    Path file;

    @Option(names = "--max-questions", defaultValue = "0",
            description = "Ask at most this many answerable questions; 0 = all (default).")
    int maxQuestions;

    /**
     * Where each question's first answering chunk ranked: through the gateway in each search mode, and by exact
     * dense search; which store served.
     */
    private record Ranks(Map<SearchMode, AnswerRanks> pipeline, AnswerRanks exact, Map<String, Integer> servedBy) {

        Ranks() {
            this(new EnumMap<>(SearchMode.class), new AnswerRanks(), new LinkedHashMap<>());
            for (SearchMode mode : SearchMode.values()) {
                pipeline.put(mode, new AnswerRanks());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("eval", bench.repositoryRoot());
        Path data = Optional.ofNullable(file).orElse(options.data(bench));
        Squad squad = Squad.read(data);
        List<Squad.Question> questions = squad.questions().stream().filter(Squad.Question::answerable)
                .limit(maxQuestions > 0 ? maxQuestions : Long.MAX_VALUE).toList();
        boolean withQdrant = FaroConfig.from(Env.of(bench.env())).qdrant().isPresent();
        try (Stack stack = Stack.start(bench.env(), withQdrant)) {
            FaroConfig config = stack.faroConfig(stack.newName(), withQdrant, Map.of());
            try (RunningFaro faro = RunningFaro.start(config);
                 ExactSearch exact = new PgExactSearch(stack.pgUrl(), config.pg().table())) {
                List<Document> articles = Corpus.articles(squad, "eval");
                long chunks = RunningFaro.chunkCount(config, articles);
                progress("ingesting %d articles (%d chunks)", articles.size(), chunks);
                faro.publish(articles);
                faro.awaitChunks(chunks, Duration.ofSeconds(Math.max(300, chunks)));
                Ranks ranks = ask(questions, new SearchClient(faro.gatewayUrl()), exact,
                        OnnxEmbedder.create(config.embedding().localModel()));
                report.parameter("data", data.toString())
                        .parameter("articles", articles.size())
                        .parameter("chunks", chunks)
                        .parameter("questions", ranks.exact().questions())
                        .parameter("top_k", TOP_K)
                        .parameter("model", config.embedding().model())
                        .parameter("chunk_size_tokens", config.chunkSizeTokens())
                        .parameter("chunk_overlap_tokens", config.chunkOverlapTokens())
                        .parameter("served_by", ranks.servedBy())
                        .parameter("qdrant", stack.qdrantDescription());
                summarize(report, ranks, config, articles.size(), chunks);
                stack.versions().forEach(report::version);
                report.finish(options.results(bench), System.out);
                return 0;
            }
        }
    }

    private static Ranks ask(List<Squad.Question> questions, SearchClient client, ExactSearch exact,
                             Embedder embedder) {
        Ranks ranks = new Ranks();
        for (Squad.Question question : questions) {
            for (SearchMode mode : SearchMode.values()) {
                JsonNode answer = client.search(question.text(), TOP_K, mode.wireName());
                ranks.servedBy().merge(answer.path("served_by").asText(), 1, Integer::sum);
                ranks.pipeline().get(mode).add(SearchClient.texts(answer), question.answers());
            }
            ranks.exact().add(exact.search(embedder.embedQuery(question.text()), TOP_K).stream()
                    .map(ExactSearch.Hit::text).toList(), question.answers());
        }
        return ranks;
    }

    private static void summarize(Report report, Ranks ranks, FaroConfig config, int articles, long chunks) {
        AnswerRanks dense = ranks.pipeline().get(SearchMode.DENSE);
        AnswerRanks hybrid = ranks.pipeline().get(SearchMode.HYBRID);
        AnswerRanks exact = ranks.exact();
        Map<String, Object> figures = new LinkedHashMap<>();
        ranks.pipeline().forEach((mode, modeRanks) -> figures.put(mode.wireName(), modeRanks.figures()));
        figures.put("exact_dense", exact.figures());
        report.run(figures);
        figures.forEach(report::median);
        report.target(Target.atMost("exact hit@5 - dense hit@5", exact.hitAt(5) - dense.hitAt(5), TARGET_HIT5_GAP))
                .target(Target.atLeast("hybrid hit@1", hybrid.hitAt(1), TARGET_HYBRID_HIT1))
                .target(Target.atLeast("hybrid hit@5", hybrid.hitAt(5), TARGET_HYBRID_HIT5))
                .target(Target.atLeast("hybrid MRR@10", hybrid.mrrAt(10), TARGET_HYBRID_MRR10))
                .note("one pass: ingestion and search are deterministic here, so there is nothing to take a"
                        + " median of")
                .note("exact dense = the same chunks in pgvector, scanned without the HNSW index, with the question"
                        + " embedded by the same model")
                .line("%d articles -> %d chunks (%s, %d-token chunks); %d answerable questions:", articles, chunks,
                        config.embedding().model(), config.chunkSizeTokens(), exact.questions())
                .line("  %-28s %8s %8s %8s %8s", "", "hit@1", "hit@5", "hit@10", "MRR@10");
        ranks.pipeline().forEach((mode, modeRanks) -> line(report, "/v1/search " + mode.wireName(), modeRanks));
        line(report, "exact dense, same chunks", exact);
    }

    private static void line(Report report, String name, AnswerRanks ranks) {
        report.line("  %-28s %8.3f %8.3f %8.3f %8.3f", name, ranks.hitAt(1), ranks.hitAt(5), ranks.hitAt(10),
                ranks.mrrAt(10));
    }
}
