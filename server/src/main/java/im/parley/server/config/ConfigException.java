package im.parley.server.config;

/**
 * The configuration cannot be used. The message names the offending key path first, e.g.
 * {@code c2s.port: must be between 0 and 65535, got 70000 (parley.yml, line 4)}.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
