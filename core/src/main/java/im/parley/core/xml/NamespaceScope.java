package im.parley.core.xml;

import java.util.ArrayList;
import java.util.List;

/** Prefix bindings in scope while writing, innermost last ({@code ""} is the default namespace). */
final class NamespaceScope {
    private final List<String> bindings = new ArrayList<>();

    /** The URI the prefix is bound to, or null; the default namespace is "" when undeclared. */
    String uriOf(String prefix) {
        for (int i = bindings.size() - 2; i >= 0; i -= 2) {
            if (bindings.get(i).equals(prefix)) {
                return bindings.get(i + 1);
            }
        }
        return prefix.isEmpty() ? "" : null;
    }

    /** A non-default prefix bound to the URI and not shadowed, or null. */
    String prefixOf(String uri) {
        for (int i = bindings.size() - 2; i >= 0; i -= 2) {
            String prefix = bindings.get(i);
            if (!prefix.isEmpty() && bindings.get(i + 1).equals(uri) && uri.equals(uriOf(prefix))) {
                return prefix;
            }
        }
        return null;
    }

    void bind(String prefix, String uri) {
        bindings.add(prefix);
        bindings.add(uri);
    }

    /** A mark to pass to {@link #popTo(int)} when the element that bound names ends. */
    int mark() {
        return bindings.size();
    }

    void popTo(int mark) {
        while (bindings.size() > mark) {
            bindings.remove(bindings.size() - 1);
        }
    }
}
