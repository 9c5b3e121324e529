package im.parley.sdk;

import java.security.cert.CertificateException;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;

/** Turns Smack's exceptions into the SDK's, so apps never catch Smack internals. */
final class SmackErrors {

    private SmackErrors() {
    }

    /** A failure while opening the connection (TCP, TLS, stream negotiation). */
    static ChatException connecting(Exception e, Transport transport, TrustFailures failures) {
        CertificateException rejected = failures.takeLast();
        if (rejected != null) {
            return new UntrustedCertificateException(rejected.getMessage(), rejected);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ChatException("interrupted while connecting to " + transport, e);
        }
        if (e instanceof SmackException.SecurityRequiredException) {
            return new ChatException("the server at " + transport + " does not offer TLS", e);
        }
        return new ServerUnreachableException("cannot connect to " + transport + ": " + describe(e), e);
    }

    /** A failure while authenticating. */
    static ChatException authenticating(Exception e, String account) {
        if (e instanceof SASLErrorException sasl) {
            return new AuthenticationFailedException("the server refused the credentials of " + account + " ("
                    + sasl.getSASLFailure().getSASLErrorString() + ")", e);
        }
        return request(e, "logging in as " + account);
    }

    /** A failure of a request (IQ) or of sending. */
    static ChatException request(Exception e, String what) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ChatException("interrupted while " + what, e);
        }
        if (e instanceof XMPPException.XMPPErrorException error) {
            return new ChatException("the server refused " + what + ": " + condition(error), e);
        }
        if (e instanceof SmackException.NoResponseException) {
            return new ChatException("no answer from the server while " + what, e);
        }
        if (e instanceof SmackException.NotConnectedException || e instanceof SmackException.NotLoggedInException) {
            return new ChatException("not connected while " + what, e);
        }
        return new ChatException("failed " + what + ": " + describe(e), e);
    }

    /** The stanza error condition's wire name (RFC 6120 §8.3.3), e.g. {@code conflict}. */
    static String condition(XMPPException.XMPPErrorException error) {
        StanzaError stanzaError = error.getStanzaError();
        return stanzaError == null ? "undefined-condition" : stanzaError.getCondition().toString();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
