package io.faro.gateway.answer;

import java.io.IOException;
import java.time.Duration;

/** The OpenAI stand-in for tests outside this package, with the few replies they need. */
public final class OpenAiStandInAccess implements AutoCloseable {

    private final OpenAiStandIn standIn;

    public OpenAiStandInAccess() throws IOException {
        standIn = new OpenAiStandIn();
    }

    public String baseUrl() {
        return standIn.baseUrl();
    }

    public void answers(String text) {
        standIn.always(OpenAiStandIn.answer(text));
    }

    /** Every answer takes {@code delay} before its first byte, as a model's time to answer. */
    public void answersAfter(Duration delay, String text) {
        standIn.always(new OpenAiStandIn.Slow(delay, OpenAiStandIn.answer(text)));
    }

    public void fails(int status) {
        standIn.always(new OpenAiStandIn.Status(status, null));
    }

    public void streamsForever(Duration every) {
        standIn.always(new OpenAiStandIn.EndlessStream(every));
    }

    /** The user message of every request, in order: the context each answer was asked with. */
    public java.util.List<String> userMessages() {
        return standIn.received().stream().map(received -> received.message("user")).toList();
    }

    /** The body of every request, in order: what a plain client sends to time the stand-in alone. */
    public java.util.List<String> requestBodies() {
        return standIn.received().stream().map(OpenAiStandIn.Received::body).toList();
    }

    public int requests() {
        return standIn.received().size();
    }

    public int closedByClient() {
        return standIn.closedByClient();
    }

    @Override
    public void close() {
        standIn.close();
    }
}
