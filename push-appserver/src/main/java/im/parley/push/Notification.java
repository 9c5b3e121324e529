package im.parley.push;

/**
 * The summary the XMPP server published (XEP-0357 §7, {@code urn:xmpp:push:summary}): sender and
 * body are null when the server withheld them.
 */
public record Notification(int messageCount, String lastSender, String lastBody) {
}
