package im.parley.server.modules.proxy65;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Pairing by hash and the limits on streams waiting and relaying (XEP-0065 §6.3.5). */
class BytestreamsTest {

    private final List<String> relayed = new ArrayList<>();

    private Bytestreams.Party party(String name) {
        return new Bytestreams.Party() {
            @Override
            public CompletionStage<Void> relayTo(Bytestreams.Party peer) {
                relayed.add(name);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void activationNeedsBothPartiesAndHappensOnce() {
        Bytestreams streams = new Bytestreams(10, 10);

        // §6.3.5: item-not-found for an unknown stream, not-allowed "if only one party ... is connected".
        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.NO_SUCH_STREAM);
        assertThat(streams.connected("a", party("target"))).isTrue();
        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.ONE_PARTY_ONLY);
        assertThat(streams.connected("a", party("requester"))).isTrue();

        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.ACTIVATED);
        assertThat(relayed).containsExactlyInAnyOrder("target", "requester");
        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.ALREADY_ACTIVE);
        assertThat(streams.pending()).isZero();
        assertThat(streams.transfers()).isEqualTo(1);
    }

    @Test
    void theLimitsBoundStreamsWaitingAndRelaying() {
        Bytestreams streams = new Bytestreams(2, 1);
        assertThat(streams.connected("a", party("a1"))).isTrue();
        assertThat(streams.connected("b", party("b1"))).isTrue();
        assertThat(streams.connected("c", party("c1"))).as("a third stream waiting").isFalse();
        streams.connected("a", party("a2"));
        streams.connected("b", party("b2"));

        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.ACTIVATED);
        assertThat(streams.activate("b").activation()).isEqualTo(Bytestreams.Activation.TOO_MANY_TRANSFERS);
        assertThat(streams.connected("c", party("c1"))).as("a waits no more").isTrue();
    }

    @Test
    void aStreamIsForgottenWhenItsPartiesLeave() {
        Bytestreams streams = new Bytestreams(10, 10);
        Bytestreams.Party target = party("target");
        Bytestreams.Party requester = party("requester");
        streams.connected("a", target);
        streams.connected("a", requester);

        streams.disconnected("a", target);
        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.ONE_PARTY_ONLY);
        streams.disconnected("a", requester);

        assertThat(streams.activate("a").activation()).isEqualTo(Bytestreams.Activation.NO_SUCH_STREAM);
        assertThat(streams.pending()).isZero();
    }
}
