package im.parley.server.tls;

import java.util.List;

/**
 * What a certificate reload did, for {@code parley reload} and the log: one line per host (new
 * certificate, unchanged, or kept because its new file was refused) and per refused file.
 *
 * @param failures how many files or hosts could not take their new certificate (0: all is well)
 */
public record ReloadReport(List<String> lines, int failures) {

    public ReloadReport {
        lines = List.copyOf(lines);
    }
}
