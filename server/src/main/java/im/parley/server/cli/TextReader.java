package im.parley.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A message for users: the command's arguments joined by spaces, or, with none, all of standard input. */
final class TextReader {
    /**
     * An announcement is a few lines; more is a mistake (a binary piped in). Well under the admin
     * socket's line limit (64 KiB, with JSON escaping) and the stanza sizes clients accept.
     */
    static final int MAX_BYTES = 16 * 1024;

    private final InputStream stdin;

    TextReader(InputStream stdin) {
        this.stdin = stdin;
    }

    String read(List<String> words, String what) throws UserErrorException {
        String text;
        if (words != null && !words.isEmpty()) {
            text = String.join(" ", words);
        } else {
            try {
                byte[] bytes = stdin.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new UserErrorException("the " + what + " is longer than " + MAX_BYTES + " bytes");
                }
                text = new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the " + what + " from standard input", e);
            }
        }
        text = text.strip();
        if (text.isEmpty()) {
            throw new UserErrorException("no " + what + ": give it as arguments or on standard input");
        }
        return text;
    }
}
