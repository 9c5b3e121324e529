package im.parley.core.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.Jid;

/** JID preparation with PRECIS, RFC 7622 §3 (examples from §3.5 and §3.6). */
class JidsTest {

    @Test
    void localpartIsCaseMapped_rfc7622_3_3_2() throws Exception {
        assertThat(Jids.parse("Juliet@Example.COM").toString()).isEqualTo("juliet@example.com");
    }

    @Test
    void resourcepartKeepsCaseAndSpaces_rfc7622_3_4() throws Exception {
        Jid jid = Jids.parse("juliet@example.com/Balcony Window");
        assertThat(jid.getResourceOrNull().toString()).isEqualTo("Balcony Window");
    }

    /** RFC 7622 §3.5: examples of valid JIDs (plus IP literals, §3.2). */
    @ParameterizedTest
    @ValueSource(strings = {
        "juliet@example.com", "juliet@example.com/foo", "juliet@example.com/foo bar", "juliet@example.com/foo@bar",
        "foo\\20bar@example.com", "fussball@example.com", "fußball@example.com", "π@example.com",
        "Σ@example.com/foo", "σ@example.com/foo", "ς@example.com/foo", "king@example.com/♚", "example.com",
        "example.com/foobar", "a.example.com/b@example.net", "juliet@[::1]", "juliet@192.0.2.1/r", "juliet@example.com/ foo"})
    void acceptsTheValidExamples_rfc7622_3_5(String jid) throws Exception {
        Jid parsed = Jids.parse(jid);
        assertThat(parsed.toString()).isNotEmpty();
    }

    /**
     * RFC 7622 §3.5: examples of invalid JIDs. Example 18 (a leading space in the resourcepart)
     * is left out: erratum 4560 withdrew it, since OpaqueString allows it.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"juliet\"@example.com", "foo bar@example.com", "@example.com/",
        "henryⅣ@example.com", "♚@example.com", "juliet@", "/foobar", "a@b@c", "jul<iet@example.com",
        "juliet@exam ple.com", "juliet@-example.com"})
    void rejectsTheInvalidExamples_rfc7622_3_5(String jid) {
        assertThatThrownBy(() -> Jids.parse(jid)).isInstanceOf(JidMalformedException.class);
    }

    @Test
    void partsLongerThan1023OctetsAreRejected_rfc7622_3_1() {
        String longLocal = "a".repeat(1024);
        assertThatThrownBy(() -> Jids.parse(longLocal + "@example.com")).isInstanceOf(JidMalformedException.class);
        assertThatThrownBy(() -> Jids.resourcepart("r".repeat(1024))).isInstanceOf(JidMalformedException.class);
    }

    @Test
    void typedParsers() throws Exception {
        assertThat(Jids.parseEntityBare("romeo@example.net").toString()).isEqualTo("romeo@example.net");
        assertThat(Jids.parseDomain("Example.NET").toString()).isEqualTo("example.net");
        assertThatThrownBy(() -> Jids.parseEntityBare("romeo@example.net/orchard")).isInstanceOf(JidMalformedException.class);
        assertThatThrownBy(() -> Jids.parseEntityBare("example.net")).isInstanceOf(JidMalformedException.class);
        assertThatThrownBy(() -> Jids.parseDomain("romeo@example.net")).isInstanceOf(JidMalformedException.class);
    }

    @Test
    void trailingDotOfTheDomainIsRemoved_rfc7622_3_2() throws Exception {
        assertThat(Jids.parse("juliet@example.com.").toString()).isEqualTo("juliet@example.com");
    }
}
