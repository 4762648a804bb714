package io.reseau.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one class, or one package, logs through System.Logger (backed by
 * java.util.logging), instead of printing it: tests that provoke an error assert that it was
 * reported, and tests of a quiet path that nothing was.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean usedParentHandlers;
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        usedParentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(source.getName());
    }

    /** What every class of {@code member}'s package logs. */
    public static LogCapture ofPackageOf(Class<?> member) {
        return new LogCapture(member.getPackageName());
    }

    /** Each record as "LEVEL message: thrown message". */
    public List<String> entries() {
        synchronized (records) {
            return records.stream().map(r -> r.getLevel() + " " + r.getMessage()
                    + (r.getThrown() == null ? "" : ": " + r.getThrown().getMessage())).toList();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
