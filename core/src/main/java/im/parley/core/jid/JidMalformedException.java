package im.parley.core.jid;

/** A JID that cannot be prepared (RFC 7622); answered with {@code jid-malformed}. */
public class JidMalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String jid;

    public JidMalformedException(String jid, String reason) {
        super("malformed JID '" + jid + "': " + reason);
        this.jid = jid;
    }

    public String jid() {
        return jid;
    }
}
