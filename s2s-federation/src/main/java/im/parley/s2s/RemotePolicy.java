package im.parley.s2s;

/**
 * How a remote domain must authenticate (RFC 6120 §13.7.2, XEP-0178, XEP-0220 §1.3): with a
 * certificate that validates by PKIX and names the domain (RFC 6125), or, when that is not
 * available, by Server Dialback as well.
 */
public enum RemotePolicy {
    /** Only a valid certificate for the domain is accepted, in both directions. */
    REQUIRE_CERTIFICATE,
    /** A valid certificate is used when there is one; otherwise Server Dialback proves the domain. */
    ALLOW_DIALBACK
}
