package im.parley.core.sasl;

/** The hash functions of the SCRAM mechanisms Parley offers (RFC 5802, RFC 7677). */
public enum ScramHash {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", 20),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 32),
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", 64);

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final int outputLength;

    ScramHash(String mechanismName, String digestAlgorithm, String hmacAlgorithm, int outputLength) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.outputLength = outputLength;
    }

    /** The SASL mechanism name without channel binding, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The mechanism name with channel binding, e.g. {@code SCRAM-SHA-256-PLUS}. */
    public String plusMechanismName() {
        return mechanismName + "-PLUS";
    }

    /** JCA name of the digest, e.g. {@code SHA-256}. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** JCA name of the HMAC, e.g. {@code HmacSHA256}. */
    public String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** Output length of the hash in bytes. */
    public int outputLength() {
        return outputLength;
    }
}
