package im.parley.server.modules.pep;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StanzaErrorType;
import im.parley.core.stream.Stanzas;
import java.util.Locale;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;

/** The namespaces of XEP-0060 (§16.2) and its errors with a pubsub-specific condition (§7, §8). */
public final class Pubsub {

    static final String NS = "http://jabber.org/protocol/pubsub";
    static final String OWNER = NS + "#owner";
    static final String EVENT = NS + "#event";
    static final String ERRORS = NS + "#errors";
    static final String NODE_CONFIG = NS + "#node_config";
    static final String PUBLISH_OPTIONS = NS + "#publish-options";
    static final String DATA = "jabber:x:data";

    private Pubsub() {
    }

    /** The constant of {@code type} a form or attribute value names: its name in lower case, with {@code _}. */
    static <E extends Enum<E>> Optional<E> valueNamed(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** A pubsub request refused: the stanza error and the pubsub condition that goes with it, if any. */
    public static final class Refusal extends Exception {
        /** The stanza error condition (RFC 6120 §8.3.3). */
        public final StanzaErrorCondition condition;
        final String pubsubCondition;
        final String feature;
        /** The error's type: the condition's usual one unless the XEP's example gives another. */
        final StanzaErrorType type;

        private Refusal(StanzaErrorCondition condition, StanzaErrorType type, String pubsubCondition, String feature,
                        String text) {
            super(text, null, false, false);
            this.condition = condition;
            this.type = type;
            this.pubsubCondition = pubsubCondition;
            this.feature = feature;
        }

        private Refusal(StanzaErrorCondition condition, String pubsubCondition, String feature, String text) {
            this(condition, condition.defaultType(), pubsubCondition, feature, text);
        }

        static Refusal of(StanzaErrorCondition condition, String pubsubCondition, String text) {
            return new Refusal(condition, pubsubCondition, null, text);
        }

        static Refusal of(StanzaErrorCondition condition) {
            return new Refusal(condition, null, null, null);
        }

        /** The same refusal with an error of {@code type}. */
        Refusal ofType(StanzaErrorType type) {
            return new Refusal(condition, type, pubsubCondition, feature, getMessage());
        }

        /** §4.4 and every "not supported" case: {@code feature-not-implemented} naming the feature. */
        static Refusal unsupported(String feature) {
            return new Refusal(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, "unsupported", feature, null);
        }

        /** The error reply to {@code iq}. */
    public Element replyTo(Stanza iq) {
            Element reply = Stanzas.errorReply(iq.element(), new StanzaError(type, condition, getMessage()));
            if (pubsubCondition != null) {
                Element specific = reply.element("error").addElement(QName.get(pubsubCondition, ERRORS));
                if (feature != null) {
                    specific.addAttribute("feature", feature);
                }
            }
            return reply;
        }
    }
}
