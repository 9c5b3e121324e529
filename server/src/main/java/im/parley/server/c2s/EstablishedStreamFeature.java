package im.parley.server.c2s;

import im.parley.core.negotiation.FeatureNegotiator;

/**
 * A c2s feature that also owns elements once the stream is established: XEP-0198
 * {@code <enable/>}, {@code <r/>} and {@code <a/>}, XEP-0352 {@code <active/>} and
 * {@code <inactive/>}. Only these features see non-stanza elements of an established stream;
 * any other such element is a stream error (RFC 6120 §4.9.3.22), so a negotiation element
 * ({@code <starttls/>}, {@code <auth/>}) cannot be replayed after negotiation.
 */
public interface EstablishedStreamFeature extends FeatureNegotiator<C2sSession> {
}
