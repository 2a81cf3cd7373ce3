package io.faro.bench.report;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines on stderr while a benchmark runs; the summary goes to stdout. */
public final class Progress {

    private Progress() {
    }

    /** A line with the time of day first, so that a profile (JFR) can be lined up with the runs. */
    public static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "%s " + format + "%n",
                prepend(LocalTime.now().truncatedTo(ChronoUnit.SECONDS), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
