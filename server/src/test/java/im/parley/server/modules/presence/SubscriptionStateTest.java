package im.parley.server.modules.presence;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.storage.Subscription;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state tables of RFC 6121 Appendix A, row by row: A.2 (the user's server processes an
 * outbound subscription stanza) and A.3 (an inbound one). States are written as in the RFC:
 * "None + Pending Out" is {@code "None+Out"}, and so on.
 */
class SubscriptionStateTest {

    private static final String[] STATES = {"None", "None+Out", "None+In", "None+Out+In", "To", "To+In", "From",
        "From+Out", "Both"};

    /** Appendix A.2.1 to A.2.4, in the order of STATES; "-" means "no state change". */
    static final String[][] OUTBOUND = {
        // subscribe (A.2.1)
        {"None+Out", "-", "None+Out+In", "-", "-", "-", "From+Out", "-", "-"},
        // unsubscribe (A.2.2)
        {"-", "None", "-", "None+In", "None", "None+In", "-", "From", "From"},
        // subscribed (A.2.3); the "no state change" rows without pending in are pre-approvals (§3.4)
        {"-", "-", "From", "From+Out", "-", "Both", "-", "-", "-"},
        // unsubscribed (A.2.4)
        {"-", "-", "None", "None+Out", "-", "To", "None", "None+Out", "To"},
    };

    /** Appendix A.3.1 to A.3.4. */
    static final String[][] INBOUND = {
        // subscribe (A.3.1)
        {"None+In", "None+Out+In", "-", "-", "To+In", "-", "-", "-", "-"},
        // unsubscribe (A.3.2)
        {"-", "-", "None", "None+Out", "-", "To", "None", "None+Out", "To"},
        // subscribed (A.3.3)
        {"-", "To", "-", "To+In", "-", "-", "-", "Both", "-"},
        // unsubscribed (A.3.4)
        {"-", "None", "-", "None+In", "None", "None+In", "-", "From", "From"},
    };

    private static final SubscriptionType[] TYPES = {SubscriptionType.SUBSCRIBE, SubscriptionType.UNSUBSCRIBE,
        SubscriptionType.SUBSCRIBED, SubscriptionType.UNSUBSCRIBED};

    static Stream<Arguments> outbound() {
        return table(OUTBOUND);
    }

    static Stream<Arguments> inbound() {
        return table(INBOUND);
    }

    static Stream<Arguments> table(String[][] rows) {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (int t = 0; t < TYPES.length; t++) {
            for (int s = 0; s < STATES.length; s++) {
                String expected = "-".equals(rows[t][s]) ? STATES[s] : rows[t][s];
                cases.add(Arguments.of(STATES[s], TYPES[t], expected));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "RFC 6121 A.2: {0} + outbound {1} -> {2}")
    @MethodSource("outbound")
    void outboundTransitionsFollowAppendixA2(String state, SubscriptionType type, String expected) {
        SubscriptionState after = parse(state).afterOutbound(type);

        assertThat(format(withoutApproval(after))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "RFC 6121 A.3: {0} + inbound {1} -> {2}")
    @MethodSource("inbound")
    void inboundTransitionsFollowAppendixA3(String state, SubscriptionType type, String expected) {
        assertThat(format(parse(state).afterInbound(type))).isEqualTo(expected);
    }

    @Test
    void subscribedWithoutPendingRequestIsAPreApproval() {
        // RFC 6121 §3.4: "subscribed" with no pending inbound request records a pre-approval.
        assertThat(parse("None").afterOutbound(SubscriptionType.SUBSCRIBED).approved()).isTrue();
        assertThat(parse("None+Out").afterOutbound(SubscriptionType.SUBSCRIBED).approved()).isTrue();
        assertThat(parse("To").afterOutbound(SubscriptionType.SUBSCRIBED).approved()).isTrue();
        assertThat(parse("From").afterOutbound(SubscriptionType.SUBSCRIBED).approved()).isFalse();
    }

    @Test
    void aPreApprovedRequestIsGrantedAtOnceAndTheApprovalIsUsedUp() {
        // RFC 6121 §3.4: the contact's later request is approved by the server.
        SubscriptionState approved = new SubscriptionState(Subscription.TO, false, false, true);

        SubscriptionState after = approved.afterInbound(SubscriptionType.SUBSCRIBE);

        assertThat(after).isEqualTo(new SubscriptionState(Subscription.BOTH, false, false, false));
    }

    @Test
    void unsubscribedWithdrawsAPreApproval() {
        // RFC 6121 §3.4: the user can cancel a pre-approval with "unsubscribed".
        SubscriptionState approved = new SubscriptionState(Subscription.NONE, false, false, true);

        assertThat(approved.afterOutbound(SubscriptionType.UNSUBSCRIBED).approved()).isFalse();
    }

    static SubscriptionState parse(String state) {
        String[] parts = state.split("\\+");
        Subscription subscription = Subscription.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
        boolean out = state.contains("+Out");
        boolean in = state.contains("+In");
        return new SubscriptionState(subscription, out, in, false);
    }

    static String format(SubscriptionState state) {
        String name = state.subscription().name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT)
                + (state.pendingOut() ? "+Out" : "") + (state.pendingIn() ? "+In" : "")
                + (state.approved() ? "+Approved" : "");
    }

    static SubscriptionState withoutApproval(SubscriptionState state) {
        return new SubscriptionState(state.subscription(), state.pendingOut(), state.pendingIn(), false);
    }
}
