package io.faro.bench.answer;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.query.LoadRunner;
import io.faro.bench.query.SearchClient;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Document;
import io.faro.gateway.answer.OpenAiStandInAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench answer}: what a generated answer costs beyond the model's own time. One FARO with an
 * LLM (the OpenAI chat stand-in, answering after a fixed delay) serves {@code /v1/search} and
 * {@code /v1/query} for the same questions, in alternating blocks; the added latency is
 * p50(query) - p50(search) - the stand-in's delay: building the prompt, the call's own overhead, reading the
 * answer and mapping its citations.
 */
@Command(name = "answer", mixinStandardHelpOptions = true,
        description = "Generated answers: /v1/query's latency over /v1/search's and the LLM stand-in's own latency.")
public final class AnswerBenchmark implements Callable<Integer> {

    static final double TARGET_ADDED_P50_MS = 2.0;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    /** Blocks per run and route, taking turns. */
    private static final int BLOCKS = 10;

    @Option(names = "--documents", defaultValue = "500",
            description = "Paragraphs in the index (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--requests", defaultValue = "400",
            description = "Timed requests per route and run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "200",
            description = "Untimed requests per route first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--llm-delay-ms", defaultValue = "50",
            description = "The LLM stand-in's time to answer (default: ${DEFAULT-VALUE}).")
    int llmDelayMs;

    @Option(names = "--top-k", defaultValue = "5", description = "top_k of every request (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("answer", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        List<String> questions = squad.questions().stream().map(Squad.Question::text).toList();
        try (Stack stack = Stack.start(bench.env(), false);
             OpenAiStandInAccess llm = new OpenAiStandInAccess()) {
            llm.answersAfter(Duration.ofMillis(llmDelayMs), "Lighthouses guide ships past rocks at night [1].");
            FaroConfig config = stack.faroConfig(stack.newName(), false, Map.of(
                    FaroConfig.LLM_BASE_URL, llm.baseUrl(),
                    FaroConfig.LLM_MODEL, "gpt-4o-mini"));
            List<Document> corpus = Corpus.paragraphs(squad, documents, "answer");
            report.parameter("data", options.data(bench).toString())
                    .parameter("documents", documents)
                    .parameter("requests", requests)
                    .parameter("warmup", warmup)
                    .parameter("blocks_per_run", BLOCKS)
                    .parameter("runs", runs)
                    .parameter("llm_delay_ms", llmDelayMs)
                    .parameter("top_k", topK)
                    .parameter("model", config.embedding().model())
                    .parameter("store", "pgvector");
            try (RunningFaro faro = RunningFaro.start(config)) {
                faro.publish(corpus);
                faro.awaitChunks(RunningFaro.chunkCount(config, corpus), Duration.ofMinutes(10));
                SearchClient client = new SearchClient(faro.gatewayUrl());
                progress("warm-up: %d requests per route (not timed)", warmup);
                load(client, questions, 0, warmup, true);
                load(client, questions, 0, warmup, false);
                int before = llm.requests();
                HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Map<String, List<Double>> p50s = new LinkedHashMap<>();
                for (int run = 1; run <= runs; run++) {
                    // the routes take turns in blocks over the same questions, so that drift in the machine's load
                    // reaches all alike: the figure is a difference of p50s
                    List<Double> searchMs = new ArrayList<>();
                    List<Double> queryMs = new ArrayList<>();
                    List<Double> llmMs = new ArrayList<>();
                    int block = Math.max(1, requests / BLOCKS);
                    for (int from = 0; from < requests; from += block) {
                        int count = Math.min(block, requests - from);
                        Arrays.stream(load(client, questions, from, count, false).latenciesMs()).forEach(searchMs::add);
                        Arrays.stream(load(client, questions, from, count, true).latenciesMs()).forEach(queryMs::add);
                        List<String> sent = llm.requestBodies();
                        List<String> bodies = sent.subList(sent.size() - count, sent.size());
                        Arrays.stream(LoadRunner.run(1, count, i -> post(plain, llm.baseUrl(), bodies.get(i)))
                                .latenciesMs()).forEach(llmMs::add);
                    }
                    double search = percentile(searchMs);
                    double query = percentile(queryMs);
                    double alone = percentile(llmMs);
                    double added = query - search - alone;
                    progress("run %d: search p50 %.2f ms, query p50 %.2f ms, LLM stand-in alone p50 %.2f ms, added"
                            + " %.2f ms", run, search, query, alone, added);
                    p50s.computeIfAbsent("search_p50_ms", k -> new ArrayList<>()).add(search);
                    p50s.computeIfAbsent("query_p50_ms", k -> new ArrayList<>()).add(query);
                    p50s.computeIfAbsent("llm_alone_p50_ms", k -> new ArrayList<>()).add(alone);
                    p50s.computeIfAbsent("added_p50_ms", k -> new ArrayList<>()).add(added);
                    p50s.computeIfAbsent("added_over_delay_p50_ms", k -> new ArrayList<>())
                            .add(query - search - llmDelayMs);
                    report.run(Map.of("run", run, "search_p50_ms", search, "query_p50_ms", query,
                            "llm_alone_p50_ms", alone, "added_p50_ms", added,
                            "added_over_delay_p50_ms", query - search - llmDelayMs));
                }
                if (llm.requests() - before != 2 * runs * requests) {
                    throw new IllegalStateException("the LLM stand-in saw " + (llm.requests() - before)
                            + " requests, not " + 2 * runs * requests + ": some answers were not generated");
                }
                p50s.forEach((name, values) -> report.median(name, Stats.median(values)));
                double added = Stats.median(p50s.get("added_p50_ms"));
                report.target(Target.atMost("added p50 over the LLM stand-in's own latency (ms)", added,
                                TARGET_ADDED_P50_MS))
                        .line("%d paragraphs, top_k %d, the LLM stand-in answering after %d ms, median of %d runs:",
                                documents, topK, llmDelayMs, runs)
                        .line("  /v1/search p50 %8.2f ms", Stats.median(p50s.get("search_p50_ms")))
                        .line("  /v1/query  p50 %8.2f ms (with a generated answer)", Stats.median(p50s.get("query_p50_ms")))
                        .line("  LLM stand-in alone p50 %8.2f ms (a plain HTTP client sending FARO's requests again)",
                                Stats.median(p50s.get("llm_alone_p50_ms")))
                        .line("  added over search and the stand-in's own latency: %.2f ms", added)
                        .line("  (over search and the stand-in's configured %d ms alone: %.2f ms)", llmDelayMs,
                                Stats.median(p50s.get("added_over_delay_p50_ms")))
                        .note("the stand-in's own latency is its configured delay plus its own HTTP server, JSON"
                                + " parsing and timer overshoot, measured by a plain JDK HTTP client replaying each"
                                + " block's requests as FARO sent them, in turn with the two routes");
            }
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private static double percentile(List<Double> latenciesMs) {
        return Stats.percentile(latenciesMs.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    /** One chat completion sent by a plain client, as FARO sent it: the stand-in's own latency. */
    private static void post(HttpClient http, String baseUrl, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the LLM stand-in answered " + response.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One caller, questions {@code from} on: the added latency is per request, not a queue's. */
    private LoadRunner.Load load(SearchClient client, List<String> questions, int from, int count, boolean answer) {
        return LoadRunner.run(1, count, i -> {
            String question = questions.get((from + i) % questions.size());
            if (answer) {
                if (client.query(question, topK).path("extractive").asBoolean(true)) {
                    throw new IllegalStateException("an answer was extractive: the LLM was not used");
                }
            } else {
                client.search(question, topK);
            }
        });
    }
}
