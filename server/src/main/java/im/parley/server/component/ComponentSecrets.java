package im.parley.server.component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.config.ComponentsConfig;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/** The configured components and their shared secrets; checks handshakes (XEP-0114 §3). */
public final class ComponentSecrets {

    private final Map<DomainBareJid, String> secrets;

    public ComponentSecrets(Map<DomainBareJid, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** The secrets of the configured component domains (checked when the configuration was read). */
    public static ComponentSecrets of(ComponentsConfig config) {
        Map<DomainBareJid, String> secrets = new LinkedHashMap<>();
        config.secrets().forEach((domain, secret) -> {
            try {
                secrets.put(Jids.parseDomain(domain), secret);
            } catch (JidMalformedException e) {
                throw new IllegalArgumentException("not a component domain: " + domain, e);
            }
        });
        return new ComponentSecrets(secrets);
    }

    public boolean isComponent(DomainBareJid domain) {
        return secrets.containsKey(domain);
    }

    public Optional<String> secret(DomainBareJid domain) {
        return Optional.ofNullable(secrets.get(domain));
    }

    /**
     * XEP-0114 §3: the handshake is the lower-case hex SHA-1 of the stream id concatenated with
     * the secret. Compared in constant time.
     */
    public boolean accepts(DomainBareJid domain, String streamId, String handshake) {
        String secret = secrets.get(domain);
        if (secret == null || handshake == null) {
            return false;
        }
        byte[] expected = digest(streamId, secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, handshake.trim().toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII));
    }

    static String digest(String streamId, String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
