package im.parley.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Records what the server logs while it is open, with the given loggers turned up to DEBUG so
 * that even lines an operator would only see with debugging on are checked; restores the
 * levels on close.
 */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Map<Logger, Level> levels = new LinkedHashMap<>();

    public LogCapture(String... loggers) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : loggers) {
            Logger logger = context.getLogger(name);
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    /** Everything logged so far by loggers whose name starts with one of {@code prefixes}. */
    public List<ILoggingEvent> events(String... prefixes) {
        List<ILoggingEvent> matching = new ArrayList<>();
        synchronized (appender.list) {
            for (ILoggingEvent event : appender.list) {
                for (String prefix : prefixes) {
                    if (event.getLoggerName().startsWith(prefix)) {
                        matching.add(event);
                        break;
                    }
                }
            }
        }
        return matching;
    }

    public void clear() {
        synchronized (appender.list) {
            appender.list.clear();
        }
    }

    /** One line per event, with its level, logger and whether it carries a stack trace. */
    public static String describe(List<ILoggingEvent> events) {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events) {
            text.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
                    .append(event.getFormattedMessage())
                    .append(event.getThrowableProxy() == null ? "" : " [stack trace: "
                            + event.getThrowableProxy().getClassName() + "]")
                    .append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        levels.forEach(Logger::setLevel);
    }
}
