package im.parley.server.cli;

/** Exit codes of the {@code parley} command, listed in its {@code --help}. */
final class ExitCodes {
    static final int OK = 0;
    /** Wrong command line, or the configuration file is missing or invalid. */
    static final int USAGE_OR_CONFIG = 1;
    /** The request makes no sense: malformed JID, existing or unknown user, domain not configured. */
    static final int USER_ERROR = 2;
    /** The database or the server failed. */
    static final int FAILURE = 3;

    private ExitCodes() {
    }
}
