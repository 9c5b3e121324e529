package im.parley.bench.client;

import org.dom4j.Element;

/**
 * What a scenario hears from its clients. Called on the clients' event loops, so
 * implementations must be thread-safe and cheap.
 */
public interface ClientEvents {

    /** Authenticated and bound (RFC 6120 §7): the login is complete. */
    default void loggedIn(XmppClient client, long loginNanos) {
    }

    /** Roster fetched and initial presence sent, as configured: the session is in use. */
    default void ready(XmppClient client) {
    }

    /** The connection failed or the server refused something; the client is closed. */
    default void failed(XmppClient client, String reason) {
    }

    /** A message carrying a send timestamp arrived; {@code latencyNanos} is end to end. */
    default void messageReceived(XmppClient client, long latencyNanos) {
    }

    /** Any message that is not an error, before it is counted (e.g. a MAM result, XEP-0313 §4.2). */
    default void messageArrived(XmppClient client, Element message) {
    }

    /** A message of type error came back (RFC 6120 §8.3). */
    default void messageError(XmppClient client, Element message) {
    }

    /** Any presence stanza arrived (RFC 6121 §4). */
    default void presenceReceived(XmppClient client, Element presence) {
    }

    /** The answer to an IQ the client sent after its login: type result or error (RFC 6120 §8.2.3). */
    default void iqAnswered(XmppClient client, Element iq) {
    }
}
