package io.faro.core.config;

import static io.faro.core.config.FaroConfig.DEFAULT_RERANK_CANDIDATES;
import static io.faro.core.config.FaroConfig.DEFAULT_RERANK_FORMAT;
import static io.faro.core.config.FaroConfig.DEFAULT_RERANK_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.RERANK_API_KEY;
import static io.faro.core.config.FaroConfig.RERANK_API_KEY_FILE;
import static io.faro.core.config.FaroConfig.RERANK_CANDIDATES;
import static io.faro.core.config.FaroConfig.RERANK_FORMAT;
import static io.faro.core.config.FaroConfig.RERANK_MODEL;
import static io.faro.core.config.FaroConfig.RERANK_ONNX_MODEL;
import static io.faro.core.config.FaroConfig.RERANK_ONNX_TOKENIZER;
import static io.faro.core.config.FaroConfig.RERANK_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.RERANK_URL;

import io.faro.core.config.FaroConfig.RerankEndpoint;
import io.faro.core.config.FaroConfig.RerankFormat;
import io.faro.core.config.FaroConfig.RerankModel;
import io.faro.core.config.FaroConfig.RerankOnnxFiles;
import io.faro.core.config.FaroConfig.RerankSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code FARO_RERANK_*} variables. A reranker is on when {@code FARO_RERANK_URL} (an HTTP endpoint) or
 * {@code FARO_RERANK_ONNX_MODEL} with {@code FARO_RERANK_ONNX_TOKENIZER} (a local cross-encoder) is set, never
 * both. A variable that only makes sense with a reranker, set without one, is refused rather than ignored: the
 * operator meant to rerank.
 */
final class RerankVariables {

    private RerankVariables() {
    }

    static Optional<RerankSettings> read(Env env) {
        Optional<String> url = env.optional(RERANK_URL);
        Optional<Path> onnxModel = env.file(RERANK_ONNX_MODEL);
        Optional<Path> onnxTokenizer = env.file(RERANK_ONNX_TOKENIZER);
        Optional<RerankModel> model;
        if (url.isPresent() && onnxModel.isPresent()) {
            throw new ConfigException("set " + RERANK_URL + " (an HTTP reranker) or " + RERANK_ONNX_MODEL
                    + " (a local one), not both");
        } else if (url.isPresent()) {
            refuse(env, List.of(RERANK_ONNX_TOKENIZER),
                    "it has no use with " + RERANK_URL + " (an HTTP reranker): unset it");
            model = Optional.of(new RerankEndpoint(url(url.get()), env.optional(RERANK_MODEL),
                    env.secret(RERANK_API_KEY, RERANK_API_KEY_FILE),
                    env.choice(RERANK_FORMAT, RerankFormat.class, DEFAULT_RERANK_FORMAT)));
        } else if (onnxModel.isPresent()) {
            refuse(env, List.of(RERANK_MODEL, RERANK_API_KEY, RERANK_API_KEY_FILE, RERANK_FORMAT),
                    "it has no use with " + RERANK_ONNX_MODEL + " (a local reranker): unset it");
            model = Optional.of(new RerankOnnxFiles(onnxModel.get(), onnxTokenizer.orElseThrow(() ->
                    new ConfigException(RERANK_ONNX_MODEL + " is set but " + RERANK_ONNX_TOKENIZER + " is not; name"
                            + " the model's tokenizer.json"))));
        } else {
            refuse(env, List.of(RERANK_MODEL, RERANK_API_KEY, RERANK_API_KEY_FILE, RERANK_FORMAT,
                    RERANK_ONNX_TOKENIZER, RERANK_TIMEOUT_MS, RERANK_CANDIDATES),
                    "no reranker is: set " + RERANK_URL + " or " + RERANK_ONNX_MODEL + " too, or unset it");
            model = Optional.empty();
        }
        return model.map(chosen -> new RerankSettings(chosen,
                env.integer(RERANK_TIMEOUT_MS, DEFAULT_RERANK_TIMEOUT_MS, 10, 60_000),
                env.integer(RERANK_CANDIDATES, DEFAULT_RERANK_CANDIDATES, 1, 1_000)));
    }

    /** Refuses the first of {@code variables} that is set, saying {@code why} it makes no sense and what to do. */
    private static void refuse(Env env, List<String> variables, String why) {
        for (String variable : variables) {
            if (env.optional(variable).isPresent()) {
                throw new ConfigException(variable + " is set, but " + why);
            }
        }
    }

    private static String url(String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(RERANK_URL + ": '" + value + "' is not an http(s) URL such as"
                        + " https://api.cohere.com/v2/rerank");
            }
            return value;
        } catch (URISyntaxException e) {
            throw new ConfigException(RERANK_URL + ": '" + value + "' is not a URL: " + e.getReason());
        }
    }
}
