package im.parley.core.xml;

import java.util.HashMap;
import java.util.Map;

/**
 * The distinct names a parser has learnt: element and attribute names (qualified as written)
 * and namespace prefixes. Aalto keeps every name it reads in a per-parser table that never
 * shrinks, and looks prefixes up in a list, so a stream of ever-new names grows memory without
 * bound and makes each new name slower than the last. The decoder refuses a top-level element
 * with more than {@code maxNames} distinct names and rebuilds the parser between two
 * top-level elements once its table holds more than {@code maxNames}: the table never holds
 * much more than twice the limit.
 */
final class NameBudget {

    /** The number of the latest top-level element that used a name. */
    private static final class Stamp {
        int element;

        Stamp(int element) {
            this.element = element;
        }
    }

    private final int maxNames;
    private final Map<String, Stamp> known = new HashMap<>();
    private int element;
    private int inElement;

    NameBudget(int maxNames) {
        this.maxNames = maxNames;
    }

    /** A new top-level element begins. */
    void startElement() {
        element++;
        inElement = 0;
    }

    /** Records a name; false once the current top-level element has used more than the limit. */
    boolean use(String name) {
        Stamp stamp = known.get(name);
        if (stamp == null) {
            known.put(name, new Stamp(element));
            inElement++;
        } else if (stamp.element != element) {
            stamp.element = element;
            inElement++;
        }
        return inElement <= maxNames;
    }

    /** True when the parser knows more names than the limit: time to replace it. */
    boolean isSpent() {
        return known.size() > maxNames;
    }

    /** How many names the parser knows. */
    int size() {
        return known.size();
    }

    /** The parser was replaced: it knows no names. */
    void clear() {
        known.clear();
    }

    String limitText() {
        return "more than " + maxNames + " distinct names in one stanza";
    }
}
