package io.faro.stores.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Every log line of this JVM, down to DEBUG, with the stack traces logged with them, kept while it runs:
 * for tests that check what a log must never show. The console still shows what it showed before.
 */
public final class CapturedLogs {

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = root.getLevel();
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
            lines.add(event.getThrowableProxy() == null ? line
                    : line + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
    };

    private CapturedLogs() {
    }

    /** Starts capturing, with the root logger at DEBUG. Start it before the code under test first logs. */
    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        logs.appender.setContext(logs.root.getLoggerContext());
        logs.appender.start();
        logs.root.addAppender(logs.appender);
        logs.root.setLevel(Level.DEBUG);
        return logs;
    }

    /** All lines captured so far, one after another. */
    public String text() {
        return String.join("\n", lines);
    }

    /** Forgets what was captured so far, e.g. a test's own set-up. */
    public void clear() {
        lines.clear();
    }

    public void stop() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
        appender.stop();
    }
}
