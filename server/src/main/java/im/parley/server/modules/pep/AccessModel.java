package im.parley.server.modules.pep;

import java.util.Locale;
import java.util.Optional;

/** The access models a PEP node may have (XEP-0060 §4.5; XEP-0163 §5: presence is the default). */
enum AccessModel {
    OPEN, PRESENCE, ROSTER, WHITELIST;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<AccessModel> of(String value) {
        return Pubsub.valueNamed(AccessModel.class, value);
    }
}
