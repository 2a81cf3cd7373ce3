package io.faro.s3.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What the fault proxy of {@link TestS3} does to a request instead of, or before, passing it to the S3 server:
 * answer as S3 does when it throttles or fails, answer late, hang until released, or drop the connection.
 */
public sealed interface S3Fault {

    /** 503 SlowDown, S3's throttling answer. */
    static S3Fault slowDown() {
        return new Error(503, "SlowDown", "Please reduce your request rate.");
    }

    /** 500 InternalError. */
    static S3Fault internalError() {
        return new Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    /** Passes the request on after {@code delay}: a slow S3. */
    static S3Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /** Holds the request until {@link Gate#open()} (or a minute passes), then passes it on. */
    static Gate gate() {
        return new Gate(new CountDownLatch(1));
    }

    /** Closes the connection without an answer. */
    static S3Fault disconnect() {
        return new Disconnect();
    }

    /** An error answer with S3's XML body. */
    record Error(int status, String code, String message) implements S3Fault {
    }

    record Delay(Duration delay) implements S3Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** A request held until the test opens the gate: deterministic where a delay would be a race. */
    record Gate(CountDownLatch latch) implements S3Fault {
        public void open() {
            latch.countDown();
        }
    }

    record Disconnect() implements S3Fault {
    }
}
