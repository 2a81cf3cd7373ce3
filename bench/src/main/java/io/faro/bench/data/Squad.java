package io.faro.bench.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.FaroException;
import io.faro.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A SQuAD-format file (v1.1 or v2.0): articles of paragraphs, each with its questions and answers. */
public record Squad(List<Article> articles) {

    public record Article(String title, List<Paragraph> paragraphs) {

        /** The whole article as one text, paragraphs separated by blank lines. */
        public String text() {
            return String.join("\n\n", paragraphs.stream().map(Paragraph::context).toList());
        }
    }

    public record Paragraph(String context, List<Question> questions) {
    }

    /** A question; SQuAD 2.0 marks those the paragraph cannot answer as impossible (no answers). */
    public record Question(String id, String text, List<String> answers, boolean impossible) {

        public boolean answerable() {
            return !impossible && !answers.isEmpty();
        }
    }

    public static Squad read(Path file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new FaroException("cannot read the SQuAD file " + file.toAbsolutePath() + ": " + e.getMessage()
                    + ". Give another one with --data FILE.", e);
        }
        JsonNode data = root.path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw new FaroException(file + " is not a SQuAD file: it has no \"data\" array of articles");
        }
        List<Article> articles = new ArrayList<>();
        for (JsonNode article : data) {
            List<Paragraph> paragraphs = new ArrayList<>();
            for (JsonNode paragraph : article.path("paragraphs")) {
                List<Question> questions = new ArrayList<>();
                for (JsonNode qa : paragraph.path("qas")) {
                    List<String> answers = new ArrayList<>();
                    qa.path("answers").forEach(answer -> answers.add(answer.path("text").asText()));
                    questions.add(new Question(qa.path("id").asText(), qa.path("question").asText(),
                            answers.stream().filter(answer -> !answer.isBlank()).distinct().toList(),
                            qa.path("is_impossible").asBoolean(false)));
                }
                paragraphs.add(new Paragraph(paragraph.path("context").asText(), questions));
            }
            articles.add(new Article(article.path("title").asText(), paragraphs));
        }
        return new Squad(articles);
    }

    public List<Paragraph> paragraphs() {
        return articles.stream().flatMap(article -> article.paragraphs().stream()).toList();
    }

    public List<Question> questions() {
        return paragraphs().stream().flatMap(paragraph -> paragraph.questions().stream()).toList();
    }
}
