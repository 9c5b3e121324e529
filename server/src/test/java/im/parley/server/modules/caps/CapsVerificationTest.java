package im.parley.server.modules.caps;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** The verification string and hash of XEP-0115 §5.1, checked against the examples of §5.2 and §5.3. */
class CapsVerificationTest {

    @Test
    void simpleGenerationExampleOfSection5_2() throws Exception {
        Element query = parse("""
                <query xmlns='http://jabber.org/protocol/disco#info'>
                  <identity category='client' name='Exodus 0.9.1' type='pc'/>
                  <feature var='http://jabber.org/protocol/caps'/>
                  <feature var='http://jabber.org/protocol/disco#info'/>
                  <feature var='http://jabber.org/protocol/disco#items'/>
                  <feature var='http://jabber.org/protocol/muc'/>
                </query>""");

        assertThat(CapsVerification.verificationString(query)).isEqualTo("client/pc//Exodus 0.9.1<"
                + "http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<"
                + "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<");
        assertThat(CapsVerification.ver(query)).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    @Test
    void complexGenerationExampleOfSection5_3() throws Exception {
        // Elements deliberately out of order: §5.1 sorts everything.
        Element query = parse("""
                <query xmlns='http://jabber.org/protocol/disco#info'>
                  <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
                  <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
                  <feature var='http://jabber.org/protocol/disco#items'/>
                  <feature var='http://jabber.org/protocol/caps'/>
                  <feature var='http://jabber.org/protocol/disco#info'/>
                  <feature var='http://jabber.org/protocol/muc'/>
                  <x xmlns='jabber:x:data' type='result'>
                    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
                    <field var='ip_version'><value>ipv6</value><value>ipv4</value></field>
                    <field var='os'><value>Mac</value></field>
                    <field var='os_version'><value>10.5.1</value></field>
                    <field var='software'><value>Psi</value></field>
                    <field var='software_version'><value>0.11</value></field>
                  </x>
                </query>""");

        assertThat(CapsVerification.verificationString(query)).isEqualTo("client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<"
                + "http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<"
                + "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<"
                + "urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<"
                + "software<Psi<software_version<0.11<");
        assertThat(CapsVerification.ver(query)).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    @Test
    void formsWithoutFormTypeAreIgnored() throws Exception {
        // XEP-0115 §5.4 step 3.6.
        Element plain = parse("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='server' type='im'/></query>");
        Element withUntypedForm = parse("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='server' type='im'/><x xmlns='jabber:x:data' type='result'>"
                + "<field var='a'><value>b</value></field></x></query>");

        assertThat(CapsVerification.ver(withUntypedForm)).isEqualTo(CapsVerification.ver(plain));
    }

    private static Element parse(String xml) throws Exception {
        return DocumentHelper.parseText(xml).getRootElement();
    }
}
