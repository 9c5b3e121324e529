package im.parley.core.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prefix bindings in scope while writing ({@code ""} is the default namespace). Lookups are
 * hash lookups, not scans of the bindings in scope: an element may sit under hundreds of
 * declarations (up to {@link XmlLimits#maxNamespaceDeclarations()} from one peer), and every
 * element and attribute written looks its prefix up.
 */
final class NamespaceScope {
    private static final int ENTRY = 4;

    /**
     * Every binding made, innermost last, as four entries: prefix, URI, and what it replaced in
     * the two maps (the prefix's previous URI, the URI's previous prefix; null for none).
     */
    private final List<String> bindings = new ArrayList<>();
    private final Map<String, String> uriByPrefix = new HashMap<>();
    /** The innermost non-default prefix bound to each URI, which may since have been rebound. */
    private final Map<String, String> prefixByUri = new HashMap<>();

    /** The URI the prefix is bound to, or null; the default namespace is "" when undeclared. */
    String uriOf(String prefix) {
        String uri = uriByPrefix.get(prefix);
        return uri == null && prefix.isEmpty() ? "" : uri;
    }

    /** A non-default prefix bound to the URI and not shadowed, or null. */
    String prefixOf(String uri) {
        String prefix = prefixByUri.get(uri);
        if (prefix == null || uri.equals(uriByPrefix.get(prefix))) {
            return prefix;
        }
        // The innermost prefix for the URI was rebound further in; an outer one may still hold
        // (rare: a parsed attribute's own prefix is in scope where it is written).
        Set<String> seen = new HashSet<>();
        for (int i = bindings.size() - ENTRY; i >= 0; i -= ENTRY) {
            String candidate = bindings.get(i);
            if (seen.add(candidate) && !candidate.isEmpty() && bindings.get(i + 1).equals(uri)) {
                return candidate;
            }
        }
        return null;
    }

    void bind(String prefix, String uri) {
        bindings.add(prefix);
        bindings.add(uri);
        bindings.add(uriByPrefix.put(prefix, uri));
        bindings.add(prefix.isEmpty() ? prefixByUri.get(uri) : prefixByUri.put(uri, prefix));
    }

    /** A mark to pass to {@link #popTo(int)} when the element that bound names ends. */
    int mark() {
        return bindings.size();
    }

    void popTo(int mark) {
        while (bindings.size() > mark) {
            int last = bindings.size() - ENTRY;
            String uri = bindings.get(last + 1);
            restore(uriByPrefix, bindings.get(last), bindings.get(last + 2));
            restore(prefixByUri, uri, bindings.get(last + 3));
            bindings.subList(last, last + ENTRY).clear();
        }
    }

    private static void restore(Map<String, String> map, String key, String previous) {
        if (previous == null) {
            map.remove(key);
        } else {
            map.put(key, previous);
        }
    }
}
