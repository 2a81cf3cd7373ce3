package io.faro.bench.report;

import java.util.Locale;

/** Progress lines on stderr while a benchmark runs; the summary goes to stdout. */
public final class Progress {

    private Progress() {
    }

    public static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }
}
