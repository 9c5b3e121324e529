package im.parley.server.cli;

import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option, accepted before or after the subcommand. Without it,
 * {@code ./parley.yml} is read if it exists, else the built-in defaults apply.
 */
final class ConfigFileOption {
    static final Path DEFAULT_FILE = Path.of("parley.yml");

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: ./parley.yml if it exists, else built-in defaults).")
    Path file;

    /** Loads the file given here, else the one given to the parent command, else the default. */
    ParleyConfig load(ConfigFileOption parent) throws ConfigException {
        Path chosen = file != null ? file : parent != null ? parent.file : null;
        if (chosen != null) {
            return ConfigLoader.load(chosen);
        }
        return Files.exists(DEFAULT_FILE) ? ConfigLoader.load(DEFAULT_FILE) : ConfigLoader.defaults();
    }
}
