package im.parley.server.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password: from the terminal, asked twice without echo; or, when there is no
 * terminal (a pipe or a file, as in scripts), the first line of standard input.
 */
final class PasswordReader {
    private final Console console;
    private final InputStream stdin;

    /**
     * @param console the terminal, or {@code null} when standard input or output is not one
     * @param stdin standard input, read when there is no terminal
     */
    PasswordReader(Console console, InputStream stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    String readNewPassword(String account) throws UserErrorException {
        return console != null ? fromConsole(account) : fromStdin();
    }

    private String fromConsole(String account) throws UserErrorException {
        char[] first = console.readPassword("Password for %s: ", account);
        char[] second = first == null ? null : console.readPassword("Repeat the password: ");
        if (first == null || second == null) {
            throw new UserErrorException("no password entered");
        }
        try {
            if (!Arrays.equals(first, second)) {
                throw new UserErrorException("the passwords do not match");
            }
            return new String(first);
        } finally {
            Arrays.fill(first, ' ');
            Arrays.fill(second, ' ');
        }
    }

    private String fromStdin() throws UserErrorException {
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new UserErrorException("no password: standard input is empty (give the password on its first line)");
            }
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from standard input", e);
        }
    }
}
