package im.parley.s2s.dialback;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmppElementEncoder;
import org.junit.jupiter.api.Test;

/** XEP-0220 §2.1.1: s2s stream headers declare the dialback namespace (ejabberd requires it). */
class DialbackHeaderTest {

    @Test
    void theStreamHeaderDeclaresXmlnsDb() {
        StreamOpen header = Dialback.declaredOn(new StreamOpen("b.test", "a.test", null, "1.0", null, Namespaces.SERVER));
        assertThat(XmppElementEncoder.toXml(header))
                .contains("xmlns='jabber:server'")
                .contains("xmlns:db='jabber:server:dialback'")
                .contains("from='a.test'").contains("to='b.test'");
    }
}
