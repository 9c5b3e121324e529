package im.parley.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Logging configured in code instead of Logback's XML configurator (issue 19): the same line on
 * stderr, the same levels, and an operator's {@code logback.configurationFile} still wins.
 */
class ConsoleLogConfiguratorTest {

    @Test
    @SuppressWarnings("unchecked")
    void oneLinePerEventOnStandardErrorParleyAtInfoItsLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
        configurator.setContext(context);

        try {
            assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

            ConsoleAppender<ILoggingEvent> console =
                    (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
            assertThat(console.getTarget()).isEqualTo("System.err");
            ch.qos.logback.classic.Logger server = context.getLogger("im.parley.server.ParleyServer");
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), server, Level.INFO, "serving {}", null,
                    new Object[] {"example.org"});
            assertThat(new String(console.getEncoder().encode(event), StandardCharsets.UTF_8))
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+\\] i\\.p\\.server\\.ParleyServer - "
                            + "serving example\\.org" + System.lineSeparator());
            assertThat(server.isDebugEnabled()).isFalse();
            assertThat(context.getLogger("io.netty.channel.Whatever").isInfoEnabled()).isFalse();
            assertThat(context.getLogger("org.flywaydb.core.Flyway").getEffectiveLevel()).isEqualTo(Level.WARN);
            assertThat(context.getLogger("com.zaxxer.hikari.pool.HikariPool").getEffectiveLevel()).isEqualTo(Level.WARN);
            assertThat(context.getLogger("some.library").getEffectiveLevel()).isEqualTo(Level.INFO);
        } finally {
            context.stop();
        }
    }

    @Test
    void anOperatorsConfigurationFileIsLeftToLogback() {
        LoggerContext context = new LoggerContext();
        ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
        configurator.setContext(context);
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "/etc/parley/logback.xml");
        try {
            assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
            context.stop();
        }
    }
}
