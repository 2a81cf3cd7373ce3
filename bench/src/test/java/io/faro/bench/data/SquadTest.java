package io.faro.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.Document;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquadTest {

    private final Squad squad = Squad.read(resource("/tiny-squad.json"));

    @Test
    void shouldReadArticlesParagraphsAndQuestionsWithTheirAnswers() {
        assertThat(squad.articles()).extracting(Squad.Article::title).containsExactly("Lighthouses", "Glaciers", "Sourdough");
        assertThat(squad.paragraphs()).hasSize(5);
        assertThat(squad.questions()).hasSize(9);
        Squad.Question pharos = squad.questions().get(1);
        assertThat(pharos.answers()).containsExactly("the third century BC", "third century BC");
        assertThat(pharos.answerable()).isTrue();
        assertThat(squad.questions().get(2).answerable()).isFalse();
    }

    @Test
    void shouldRepeatParagraphsAsDocumentsWithDistinctIds() {
        List<Document> documents = Corpus.paragraphs(squad, 12, "t");

        assertThat(documents).hasSize(12);
        assertThat(documents).extracting(Document::id).doesNotHaveDuplicates();
        assertThat(documents.get(5).text()).isEqualTo(documents.get(0).text());
        assertThat(documents.get(0).text()).isEqualTo(squad.paragraphs().get(0).context());
    }

    @Test
    void shouldMakeOneDocumentOfEachArticle() {
        List<Document> articles = Corpus.articles(squad, "a");

        assertThat(articles).hasSize(3);
        assertThat(articles.get(1).title()).isEqualTo("Glaciers");
        assertThat(articles.get(1).text()).contains("U-shaped").contains("Antarctica").contains("\n\n");
    }

    private static Path resource(String name) {
        try {
            return Path.of(SquadTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
