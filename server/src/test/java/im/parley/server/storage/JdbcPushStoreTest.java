package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.time.Instant;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** {@link JdbcPushStore} on H2 and PostgreSQL (XEP-0357 §5 enable, §6 disable). */
class JdbcPushStoreTest extends StoreContract {

    @Test
    void keepsTheNewestRegistrationsUpToTheLimit() throws Exception {
        PushStore store = new JdbcPushStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        Jid push = Jids.parse("push.example.net");
        Element form = DocumentHelper.parseText("<x xmlns='jabber:x:data' type='submit'><field var='secret'>"
                + "<value>s3cr3t</value></field></x>").getRootElement();
        PushRegistration first = new PushRegistration(push, "node-1", form, Instant.ofEpochMilli(1000));
        PushRegistration second = new PushRegistration(push, "node-2", null, Instant.ofEpochMilli(2000));
        PushRegistration third = new PushRegistration(Jids.parse("other.example.net"), "n", null, Instant.ofEpochMilli(3000));

        assertThat(store.put(juliet, first, 2)).isEmpty();
        assertThat(store.put(juliet, second, 2)).isEmpty();
        assertThat(store.put(juliet, third, 2)).extracting(PushRegistration::node).containsExactly("node-1");

        assertThat(store.load(juliet)).extracting(PushRegistration::node).containsExactly("node-2", "n");
        // Re-enabling the same app server and node replaces the registration.
        store.put(juliet, new PushRegistration(push, "node-2", form, Instant.ofEpochMilli(4000)), 2);
        PushRegistration replaced = store.load(juliet).get(1);
        assertThat(replaced.enabledAt()).isEqualTo(Instant.ofEpochMilli(4000));
        assertThat(replaced.publishOptions().asXML()).isEqualTo(form.asXML());
    }

    @Test
    void removesOneNodeOrEveryNodeOfAnAppServer() throws Exception {
        PushStore store = new JdbcPushStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        Jid push = Jids.parse("push.example.net");
        store.put(juliet, new PushRegistration(push, "a", null, Instant.ofEpochMilli(1)), 10);
        store.put(juliet, new PushRegistration(push, "b", null, Instant.ofEpochMilli(2)), 10);
        store.put(juliet, new PushRegistration(push, "c", null, Instant.ofEpochMilli(3)), 10);

        assertThat(store.remove(juliet, push, "a")).isEqualTo(1);
        assertThat(store.remove(juliet, push, null)).isEqualTo(2);
        assertThat(store.load(juliet)).isEmpty();

        store.put(juliet, new PushRegistration(push, "d", null, Instant.ofEpochMilli(4)), 10);
        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(store.load(juliet)).isEmpty();
    }
}
