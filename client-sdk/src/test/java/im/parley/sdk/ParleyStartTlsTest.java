package im.parley.sdk;

import im.parley.sdk.target.Target;
import im.parley.server.embedded.EmbeddedParley;
import im.parley.server.embedded.ParleyExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK against an in-process Parley over STARTTLS. */
class ParleyStartTlsTest extends ChatClientContract {

    @RegisterExtension
    static final ParleyExtension PARLEY = ParleyExtension.builder().domain("parley.test").allowRegistration().build();

    @Override
    Target target() {
        EmbeddedParley parley = PARLEY.server();
        return new Target("Parley", parley.domain(), Target.Kind.STARTTLS, parley.host(), parley.c2sPort(),
                parley.certificate(),
                parley::createUser);
    }
}
