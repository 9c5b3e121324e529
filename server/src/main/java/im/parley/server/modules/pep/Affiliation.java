package im.parley.server.modules.pep;

import java.util.Locale;
import java.util.Optional;

/**
 * The affiliations an owner gives others on a PEP node (XEP-0060 §4.1, §8.9): members and
 * publishers are on the whitelist (§4.5), outcasts never see the node, none removes one.
 * Only the owner publishes (XEP-0163 §2 "one publisher per node").
 */
enum Affiliation {
    OWNER, PUBLISHER, MEMBER, NONE, OUTCAST;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Affiliation> of(String value) {
        return Pubsub.valueNamed(Affiliation.class, value);
    }
}
