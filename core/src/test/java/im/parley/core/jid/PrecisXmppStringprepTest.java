package im.parley.core.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.jxmpp.stringprep.XmppStringprepException;

/** The preparation caches change no answer: the same result every time, and errors every time. */
class PrecisXmppStringprepTest {

    private final PrecisXmppStringprep prep = new PrecisXmppStringprep();

    @Test
    void aDomainpartIsPreparedTheSameWayFromTheCache() throws Exception {
        // RFC 7622 §3.2: IDNA2008 mapping lower-cases; the trailing dot is removed.
        assertThat(prep.domainprep("Example.ORG.")).isEqualTo("example.org");
        assertThat(prep.domainprep("Example.ORG.")).isEqualTo("example.org");
        assertThat(prep.domainprep("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(prep.domainprep("192.0.2.7")).isEqualTo("192.0.2.7");
    }

    @Test
    void aRejectedPartIsRejectedEveryTime() {
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> prep.domainprep("-bad.example")).isInstanceOf(XmppStringprepException.class);
            assertThatThrownBy(() -> prep.localprep("ju@liet")).isInstanceOf(XmppStringprepException.class);
        }
    }

    @Test
    void aLocalpartIsCaseMappedTheSameWayFromTheCache() throws Exception {
        // RFC 8265 §3.3 UsernameCaseMapped.
        assertThat(prep.localprep("Juliet")).isEqualTo("juliet");
        assertThat(prep.localprep("Juliet")).isEqualTo("juliet");
    }
}
