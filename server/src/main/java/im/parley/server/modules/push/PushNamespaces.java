package im.parley.server.modules.push;

/** Namespaces and form types of XEP-0357 and the XEP-0060 publish it uses. */
final class PushNamespaces {

    /** XEP-0357 §4: enable/disable, the notification payload and the disco feature. */
    static final String PUSH = "urn:xmpp:push:0";
    /** XEP-0357 §7: the FORM_TYPE of the summary form in a notification. */
    static final String SUMMARY = "urn:xmpp:push:summary";
    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    /** XEP-0060 §7.1.5: the FORM_TYPE of publish-options. */
    static final String PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";
    static final String DATA = "jabber:x:data";
    /**
     * A boolean publish-options field with which a client lets notifications carry message
     * bodies (docs/mobile-push.md); the app server sees it too, which is harmless.
     */
    static final String INCLUDE_BODY_FIELD = "include-body";

    private PushNamespaces() {
    }
}
