package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.sdk.Availability;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 6121 as a chat app lives it, written with Parley's client SDK: two strangers become
 * contacts, see each other's presence and chat. Each step is a protocol exchange the server
 * must get right; the SDK only hides the stanzas.
 */
class SdkScenarioTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /**
     * RFC 6121 §2.3 (roster set), §3.1.1-§3.1.5 (subscription request, delivery to the contact,
     * approval and the roster pushes), §3.1.6 with §4.3 (after approval the server sends the
     * contact's current presence), §5.2.2 (chat).
     */
    @Test
    @DisplayName("RFC 6121 §3.1, §4.3, §5: add a contact, accept, both see presence, chat")
    void addAcceptSeePresenceChat() {
        SdkUser romeo = parley.sdkLoggedIn("romeo");
        SdkUser juliet = parley.sdkLoggedIn("juliet");

        romeo.addsContact(juliet, "Juliet");
        juliet.receivesContactRequestFrom(romeo);
        juliet.accepts(romeo);

        romeo.hasMutualSubscriptionWith(juliet);
        juliet.hasMutualSubscriptionWith(romeo);
        romeo.seesPresence(juliet, Availability.AVAILABLE, null);
        juliet.seesPresence(romeo, Availability.AVAILABLE, null);

        romeo.sendsChat(juliet, "Lady, by yonder blessed moon I swear");
        juliet.receivesChat(romeo, "Lady, by yonder blessed moon I swear");
        juliet.sendsChat(romeo, "O, swear not by the moon, th' inconstant moon");
        assertThat(romeo.receivesChat(juliet, "O, swear not by the moon, th' inconstant moon").sender().toString())
                .as("RFC 6120 §8.1.2.1: 'from' is the sender's full JID")
                .isEqualTo(juliet.sessionJid().toString());
    }

    /**
     * RFC 6121 §4.4.2 (the server broadcasts a presence update to the contacts who subscribe to
     * it) and §4.5.2 (when the session ends the server broadcasts unavailable presence).
     */
    @Test
    @DisplayName("RFC 6121 §4.4.2, §4.5.2: a contact sees status changes, then the contact going offline")
    void contactSeesStatusChangesAndLeaving() {
        SdkUser romeo = parley.sdkLoggedIn("romeo");
        SdkUser juliet = parley.sdkLoggedIn("juliet");
        romeo.addsContact(juliet, "Juliet");
        juliet.receivesContactRequestFrom(romeo);
        juliet.accepts(romeo);
        romeo.seesPresence(juliet, Availability.AVAILABLE, null);

        juliet.setsStatus(Availability.AWAY, "on the balcony");
        romeo.seesPresence(juliet, Availability.AWAY, "on the balcony");

        juliet.close();
        romeo.seesPresence(juliet, Availability.OFFLINE, null);
    }
}
