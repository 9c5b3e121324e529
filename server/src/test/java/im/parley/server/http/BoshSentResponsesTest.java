package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** Responses kept for retransmission (XEP-0124 §14.3) until acknowledged (§9). */
class BoshSentResponsesTest {

    private static final Element MESSAGE = DocumentHelper.createElement("message");

    /** XEP-0124 §14.3: a repeated rid gets the very response sent for it. */
    @Test
    void aSentResponseIsKeptForItsRid() {
        BoshSentResponses responses = new BoshSentResponses(100, 2, false);
        responses.record(101, "<body/>", List.of(MESSAGE));
        assertThat(responses.response(101)).contains("<body/>");
        assertThat(responses.response(102)).isEmpty();
        assertThat(responses.unacknowledgedStanzas()).containsExactly(MESSAGE);
    }

    /** XEP-0124 §9.1: without 'ack', rid N proves every response up to N - requests arrived. */
    @Test
    void aNewRidAcknowledgesResponsesOutsideTheWindow() {
        BoshSentResponses responses = new BoshSentResponses(100, 2, false);
        responses.record(101, "a", List.of());
        responses.record(102, "b", List.of());
        responses.acknowledge(102, OptionalLong.of(102));  // 'ack' ignored: not asked for
        assertThat(responses.response(101)).contains("a");
        responses.acknowledge(103, OptionalLong.empty());
        assertThat(responses.response(101)).isEmpty();
        assertThat(responses.response(102)).contains("b");
    }

    /** XEP-0124 §9.1: with acknowledgements on, the client's 'ack' proves its responses arrived. */
    @Test
    void theClientsAckAcknowledgesWhenAskedFor() {
        BoshSentResponses responses = new BoshSentResponses(100, 2, true);
        responses.record(101, "a", List.of());
        responses.record(102, "b", List.of(MESSAGE));
        responses.acknowledge(103, OptionalLong.of(101));
        assertThat(responses.response(101)).isEmpty();
        assertThat(responses.unacknowledgedStanzas()).containsExactly(MESSAGE);
        // Acknowledgement never goes back.
        responses.acknowledge(103, OptionalLong.of(100));
        responses.record(101, "again", List.of());
        responses.acknowledge(103, OptionalLong.empty());
        assertThat(responses.response(101)).isEmpty();
    }

    @Test
    void clearingForgetsEverything() {
        BoshSentResponses responses = new BoshSentResponses(100, 2, false);
        responses.record(101, "a", List.of(MESSAGE));
        responses.clear();
        assertThat(responses.response(101)).isEmpty();
        assertThat(responses.unacknowledgedStanzas()).isEmpty();
    }
}
