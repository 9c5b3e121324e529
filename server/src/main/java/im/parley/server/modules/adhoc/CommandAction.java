package im.parley.server.modules.adhoc;

import java.util.Locale;
import java.util.Optional;

/** The values of a command's {@code action} attribute (XEP-0050 §4.1). */
public enum CommandAction {
    /** Start, or go on with the stage's default action; the default when the attribute is absent. */
    EXECUTE,
    CANCEL,
    PREV,
    NEXT,
    COMPLETE;

    /** The attribute value and the name of the {@code <actions/>} child, e.g. {@code next}. */
    public String xmlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action an attribute names; empty for a value XEP-0050 does not define. */
    static Optional<CommandAction> parse(String attribute) {
        if (attribute == null) {
            return Optional.of(EXECUTE);
        }
        for (CommandAction action : values()) {
            if (action.xmlName().equals(attribute)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
