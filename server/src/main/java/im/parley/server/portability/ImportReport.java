package im.parley.server.portability;

import java.io.PrintWriter;

/**
 * What an import did, told to the operator as it goes (XEP-0227 §4: an importing server that
 * cannot import all data "SHOULD notify the operator"): one line per account, with what was
 * imported, what was not and why; then the totals.
 */
public final class ImportReport {
    private final PrintWriter out;
    private int imported;
    private int disabled;
    private int refused;

    public ImportReport(PrintWriter out) {
        this.out = out;
    }

    void imported(String jid, String what) {
        imported++;
        out.println("imported " + jid + ": " + what);
        out.flush();
    }

    /** Imported, but the account cannot log in until an operator sets a password and enables it. */
    void importedDisabled(String jid, String what, String why) {
        imported++;
        disabled++;
        out.println("imported " + jid + " DISABLED (" + why + "): " + what);
        out.flush();
    }

    /** A note about an imported account: something it lacks or keeps only in part. */
    void note(String jid, String note) {
        out.println("  note " + jid + ": " + note);
        out.flush();
    }

    /** Not imported at all; nothing of it was stored. */
    void refused(String who, String why) {
        refused++;
        out.println("NOT imported " + who + ": " + why);
        out.flush();
    }

    /** A remark about the file rather than an account. */
    void fileNote(String note) {
        out.println("note: " + note);
        out.flush();
    }

    void summary() {
        out.println(imported + " accounts imported (" + disabled + " of them disabled), " + refused + " not imported");
        out.flush();
    }

    public int imported() {
        return imported;
    }

    public int disabled() {
        return disabled;
    }

    public int refused() {
        return refused;
    }
}
