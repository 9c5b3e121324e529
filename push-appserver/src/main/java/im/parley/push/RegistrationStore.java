package im.parley.push;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registered devices, by node; kept in a JSON file (written whole, atomically, readable by
 * its owner only: it holds device tokens and secrets) when one is configured. A device that registers again (same account and device id) keeps its node and gets
 * a new secret, as the Conversations app server does, so that the XMPP server's registration
 * stays valid after the client re-enables.
 */
public final class RegistrationStore {

    private static final TypeReference<List<Registration>> LIST = new TypeReference<>() { };

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Registration> byNode = new LinkedHashMap<>();

    public RegistrationStore(Path file) {
        this.file = file;
        if (file != null && Files.exists(file)) {
            try {
                for (Registration registration : json.readValue(file.toFile(), LIST)) {
                    byNode.put(registration.node(), registration);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read push registrations from " + file, e);
            }
        }
    }

    /** Registers (or registers again) a device; returns its registration with node and secret. */
    public synchronized Registration register(String owner, String deviceId, Registration.Service service, String token,
                                              String appId, Registration.Style style, Registration.Platform platform) {
        String node = byNode.values().stream()
                .filter(r -> r.owner().equals(owner) && r.deviceId().equals(deviceId))
                .map(Registration::node).findFirst().orElseGet(() -> randomToken(12));
        Registration registration = new Registration(node, randomToken(16), owner, deviceId, service, token, appId,
                style, platform);
        byNode.put(node, registration);
        save();
        return registration;
    }

    public synchronized Optional<Registration> byNode(String node) {
        return Optional.ofNullable(byNode.get(node));
    }

    /** Removes the registrations of this account's device; returns how many. */
    public synchronized int unregister(String owner, String deviceId) {
        int before = byNode.size();
        byNode.values().removeIf(r -> r.owner().equals(owner) && r.deviceId().equals(deviceId));
        int removed = before - byNode.size();
        if (removed > 0) {
            save();
        }
        return removed;
    }

    /** Removes a registration whose device token the push service no longer accepts. */
    public synchronized void remove(String node) {
        if (byNode.remove(node) != null) {
            save();
        }
    }

    public synchronized List<Registration> all() {
        return List.copyOf(byNode.values());
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            byte[] content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new ArrayList<>(byNode.values()));
            OwnerOnlyFiles.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write push registrations to " + file, e);
        }
    }

    private String randomToken(int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return HexFormat.of().formatHex(data);
    }
}
