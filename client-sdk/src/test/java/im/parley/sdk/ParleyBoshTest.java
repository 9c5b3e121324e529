package im.parley.sdk;

import im.parley.sdk.target.Target;
import im.parley.server.embedded.EmbeddedParley;
import im.parley.server.embedded.ParleyExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK against an in-process Parley over BOSH (XEP-0206) on loopback HTTP. */
class ParleyBoshTest extends ChatClientContract {

    @RegisterExtension
    static final ParleyExtension PARLEY = ParleyExtension.builder().domain("parley.test").allowRegistration().build();

    @Override
    Target target() {
        EmbeddedParley parley = PARLEY.server();
        return new Target("Parley", parley.domain(), Target.Kind.BOSH, parley.host(), parley.server().httpPort(),
                parley.certificate(), parley::createUser);
    }
}
