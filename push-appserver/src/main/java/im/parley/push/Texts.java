package im.parley.push;

/** What a shown notification says: the sender and body when the XMPP server sent them, else a neutral text. */
final class Texts {

    private Texts() {
    }

    static String title(Notification notification) {
        return notification.lastSender() == null ? "New message" : bare(notification.lastSender());
    }

    static String body(Notification notification) {
        if (notification.lastBody() != null) {
            return notification.lastBody();
        }
        int count = Math.max(1, notification.messageCount());
        return count == 1 ? "You have a new message" : "You have " + count + " new messages";
    }

    private static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
