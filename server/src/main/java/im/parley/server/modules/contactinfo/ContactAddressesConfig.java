package im.parley.server.modules.contactinfo;

import im.parley.server.module.ModuleContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contact addresses of the service (XEP-0157 §2): per kind ({@code admin}, {@code abuse}, ...),
 * URIs such as {@code xmpp:admin@example.org} or {@code mailto:abuse@example.org}.
 *
 * @param addresses kind → URIs, for every kind in {@link #KINDS}, in that order
 */
public record ContactAddressesConfig(Map<String, List<String>> addresses) {

    /** The address kinds of XEP-0157 §2; each becomes the field {@code <kind>-addresses}. */
    public static final List<String> KINDS = List.of("abuse", "admin", "feedback", "sales", "security", "support");

    public ContactAddressesConfig {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String kind : KINDS) {
            copy.put(kind, List.copyOf(addresses.getOrDefault(kind, List.of())));
        }
        for (String kind : addresses.keySet()) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown contact address kind: " + kind);
            }
        }
        addresses = java.util.Collections.unmodifiableMap(copy);
    }

    public static ContactAddressesConfig defaults() {
        return new ContactAddressesConfig(Map.of());
    }

    /** The values of the {@code contact_addresses} options. */
    public static ContactAddressesConfig of(ModuleContext context) {
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        ContactAddressesModule.BY_KIND.forEach((kind, option) -> addresses.put(kind, context.option(option)));
        return new ContactAddressesConfig(addresses);
    }

    /** The URIs of one kind. */
    public List<String> of(String kind) {
        return addresses.getOrDefault(kind, List.of());
    }

    /** True if no address of any kind is configured. */
    public boolean isEmpty() {
        return addresses.values().stream().allMatch(List::isEmpty);
    }

    public ContactAddressesConfig with(String kind, List<String> uris) {
        Map<String, List<String>> copy = new LinkedHashMap<>(addresses);
        copy.put(kind, uris);
        return new ContactAddressesConfig(copy);
    }
}
