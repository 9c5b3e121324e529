package im.parley.bench.client;

/** The SASL mechanisms the load generator speaks. */
public enum SaslMechanismChoice {
    /** RFC 4616; most servers offer it only over TLS. */
    PLAIN("PLAIN"),
    /** RFC 5802 without channel binding. */
    SCRAM_SHA_1("SCRAM-SHA-1");

    private final String wireName;

    SaslMechanismChoice(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SaslMechanismChoice fromWireName(String name) {
        for (SaslMechanismChoice choice : values()) {
            if (choice.wireName.equalsIgnoreCase(name) || choice.name().equalsIgnoreCase(name)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unsupported SASL mechanism " + name + " (PLAIN or SCRAM-SHA-1)");
    }
}
