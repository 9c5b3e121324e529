package im.parley.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

class ParleyExtensionTest {

    @RegisterExtension
    static final ParleyExtension PARLEY = ParleyExtension.builder()
            .domain("example.test")
            .user("alice", "secret")
            .build();

    @Test
    void runsOneServerForTheClassWithTheGivenUsers(EmbeddedParley parley) throws Exception {
        assertThat(parley).isSameAs(PARLEY.server());
        assertThat(parley.domain()).isEqualTo("example.test");
        assertThat(parley.c2sPort()).isPositive();
        assertThat(parley.server().accounts().exists(JidCreate.entityBareFrom("alice@example.test"))).isTrue();
    }

    @Test
    void injectsTheSameServerIntoEveryTest(EmbeddedParley parley) {
        assertThat(parley).isSameAs(PARLEY.server());
    }
}
