package im.parley.server.modules.pubsub;

import java.util.Optional;

/**
 * The affiliations an entity has with a node of the publish-subscribe service (XEP-0060 §4.1,
 * table 4): what it may do there. Owners configure and delete the node and manage the others;
 * publishers publish and retract; publish-only entities publish but do not see items; members
 * see and subscribe under the whitelist access model; outcasts may do nothing.
 */
enum Affiliation {
    OWNER("owner"), PUBLISHER("publisher"), PUBLISH_ONLY("publish-only"), MEMBER("member"), NONE("none"),
    OUTCAST("outcast");

    private final String value;

    Affiliation(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /** May publish items (§4.1 table 4). */
    boolean publishes() {
        return this == OWNER || this == PUBLISHER || this == PUBLISH_ONLY;
    }

    static Optional<Affiliation> of(String value) {
        for (Affiliation affiliation : values()) {
            if (affiliation.value.equals(value)) {
                return Optional.of(affiliation);
            }
        }
        return Optional.empty();
    }
}
