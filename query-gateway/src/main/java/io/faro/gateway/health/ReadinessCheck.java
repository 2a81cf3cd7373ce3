package io.faro.gateway.health;

import java.util.function.BooleanSupplier;

/**
 * One thing the gateway depends on: Kafka, a stream application, a store. A critical check that is
 * down makes the gateway not ready; a non-critical one (a store with a fallback) only marks it degraded.
 */
public record ReadinessCheck(String name, BooleanSupplier check, boolean critical) {

    public static ReadinessCheck critical(String name, BooleanSupplier check) {
        return new ReadinessCheck(name, check, true);
    }

    public static ReadinessCheck optional(String name, BooleanSupplier check) {
        return new ReadinessCheck(name, check, false);
    }

    public boolean ready() {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
