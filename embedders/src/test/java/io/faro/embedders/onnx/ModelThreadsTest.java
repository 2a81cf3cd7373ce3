package io.faro.embedders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.embedders.onnx.ModelThreads.Lane;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ModelThreadsTest {

    @Test
    void shouldRunAQuestionBeforeThePassagesWaitingAheadOfIt() throws InterruptedException {
        // given one model thread busy with a passage, and two passages waiting behind it
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ModelThreads threads = new ModelThreads(1, "test-model-")) {
            CompletableFuture<String> busy = threads.submit(Lane.PASSAGE, () -> {
                started.countDown();
                await(release);
                return "busy";
            });
            started.await();
            CompletableFuture<String> first = threads.submit(Lane.PASSAGE, () -> record(ran, "passage 1"));
            CompletableFuture<String> second = threads.submit(Lane.PASSAGE, () -> record(ran, "passage 2"));

            // when a question comes, then the thread is free again
            CompletableFuture<String> question = threads.submit(Lane.QUERY, () -> record(ran, "question"));
            release.countDown();
            CompletableFuture.allOf(busy, first, second, question).join();

            // then the question ran first, and the passages in the order they came
            assertThat(ran).containsExactly("question", "passage 1", "passage 2");
        }
    }

    @Test
    void shouldFailTheFutureWithTheWorksOwnFailure() {
        // given
        try (ModelThreads threads = new ModelThreads(1, "test-model-")) {
            // when the work fails
            CompletableFuture<String> failed = threads.submit(Lane.PASSAGE, () -> {
                throw new IllegalStateException("too long");
            });

            // then its future fails with that failure
            assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("too long");
        }
    }

    @Test
    void shouldFailWorkSubmittedAfterClose() {
        // given
        ModelThreads threads = new ModelThreads(1, "test-model-");
        threads.close();

        // when
        CompletableFuture<String> late = threads.submit(Lane.QUERY, () -> "never");

        // then it fails at once rather than waiting forever
        assertThatThrownBy(late::join).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    private static String record(List<String> ran, String name) {
        ran.add(name);
        return name;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
