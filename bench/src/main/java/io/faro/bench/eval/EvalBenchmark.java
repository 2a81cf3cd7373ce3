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
import java.nio.file.Path;
import java.time.Duration;
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
 * as one document; every answerable question is asked through {@code /v1/search}, and again by exact
 * search over the same chunks in pgvector; answer-hit@1/@5/@10 and MRR@10 for both show what the
 * pipeline's approximate search loses.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Retrieval quality on SQuAD: answer-hit@1/@5/@10 and MRR@10 of /v1/search and of exact search.")
public final class EvalBenchmark implements Callable<Integer> {

    static final int TOP_K = 10;
    static final double TARGET_HIT5_GAP = 0.01;

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

    /** Where each question's first answering chunk ranked: through the gateway, and by exact search. */
    private record Ranks(AnswerRanks pipeline, AnswerRanks exact, Map<String, Integer> servedBy) {
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
                        .parameter("questions", ranks.pipeline().questions())
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
        Ranks ranks = new Ranks(new AnswerRanks(), new AnswerRanks(), new LinkedHashMap<>());
        for (Squad.Question question : questions) {
            JsonNode answer = client.search(question.text(), TOP_K);
            ranks.servedBy().merge(answer.path("served_by").asText(), 1, Integer::sum);
            ranks.pipeline().add(SearchClient.texts(answer), question.answers());
            ranks.exact().add(exact.search(embedder.embedQuery(question.text()), TOP_K).stream()
                    .map(ExactSearch.Hit::text).toList(), question.answers());
        }
        return ranks;
    }

    private static void summarize(Report report, Ranks ranks, FaroConfig config, int articles, long chunks) {
        AnswerRanks pipeline = ranks.pipeline();
        AnswerRanks exact = ranks.exact();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pipeline", metrics(pipeline));
        figures.put("exact", metrics(exact));
        report.run(figures);
        figures.forEach(report::median);
        report.target(Target.atMost("exact hit@5 - pipeline hit@5", exact.hitAt(5) - pipeline.hitAt(5),
                        TARGET_HIT5_GAP))
                .note("one pass: ingestion and search are deterministic here, so there is nothing to take a"
                        + " median of")
                .note("exact = the same chunks in pgvector, scanned without the HNSW index, with the question"
                        + " embedded by the same model")
                .line("%d articles -> %d chunks (%s, %d-token chunks); %d answerable questions:", articles, chunks,
                        config.embedding().model(), config.chunkSizeTokens(), pipeline.questions())
                .line("  %-28s %8s %8s %8s %8s", "", "hit@1", "hit@5", "hit@10", "MRR@10")
                .line("  %-28s %8.3f %8.3f %8.3f %8.3f", "pipeline (/v1/search)", pipeline.hitAt(1),
                        pipeline.hitAt(5), pipeline.hitAt(10), pipeline.mrrAt(10))
                .line("  %-28s %8.3f %8.3f %8.3f %8.3f", "exact search, same chunks", exact.hitAt(1),
                        exact.hitAt(5), exact.hitAt(10), exact.mrrAt(10));
    }

    private static Map<String, Object> metrics(AnswerRanks ranks) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("hit_at_1", Stats.round(ranks.hitAt(1), 4));
        metrics.put("hit_at_5", Stats.round(ranks.hitAt(5), 4));
        metrics.put("hit_at_10", Stats.round(ranks.hitAt(10), 4));
        metrics.put("mrr_at_10", Stats.round(ranks.mrrAt(10), 4));
        return metrics;
    }
}
