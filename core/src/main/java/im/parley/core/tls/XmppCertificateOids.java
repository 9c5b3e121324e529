package im.parley.core.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/** Object identifiers for XMPP identities in certificates. */
final class XmppCertificateOids {

    /** id-on-xmppAddr (RFC 6120 §13.7.1.4): an otherName SAN holding a UTF8String JID domain. */
    static final ASN1ObjectIdentifier ID_ON_XMPP_ADDR = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5");

    private XmppCertificateOids() {
    }
}
