package io.faro.gateway.health;

import java.util.function.BooleanSupplier;

/** One thing the gateway needs before it is ready: Kafka, a stream application, a store. */
public record ReadinessCheck(String name, BooleanSupplier check) {

    public boolean ready() {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
