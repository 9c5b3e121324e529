package im.parley.server.modules.serviceadmin;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandException;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.modules.adhoc.DataForm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * What the service administration commands of one hosted domain share (XEP-0133 §4): the
 * {@code FORM_TYPE}, who may run them and where they run ({@link FormCommand}), the forms and
 * results several of them use, and the reading of what was submitted. A JID submitted must be of
 * this domain: a domain's commands administer that domain (§3).
 */
final class AdminForms {

    static final String FORM_TYPE = "http://jabber.org/protocol/admin";
    /** XEP-0133 §4.18: the choices of {@code max_items}. */
    static final List<String> MAX_ITEMS = List.of("25", "50", "75", "100", "150", "200", "none");

    private final DomainBareJid domain;
    private final Predicate<Jid> admins;
    private final Executor blocking;

    AdminForms(DomainBareJid domain, Predicate<Jid> admins, Executor blocking) {
        this.domain = domain;
        this.admins = admins;
        this.blocking = blocking;
    }

    DomainBareJid domain() {
        return domain;
    }

    /** A command with a form to fill in first, for the admins only. */
    AdHocCommand twoStage(String useCase, String name, Supplier<Element> form, Function<Element, CommandStage> operation) {
        return new FormCommand(useCase, name, admins, blocking, form, operation);
    }

    /** A command that completes at once, for the admins only. */
    AdHocCommand oneStage(String useCase, String name, Supplier<CommandStage> operation) {
        return new FormCommand(useCase, name, admins, blocking, null, form -> operation.get());
    }

    /** The {@code accountjids} submitted: bare JIDs of this domain, at least one. */
    List<EntityBareJid> accounts(Element form) {
        List<EntityBareJid> jids = new ArrayList<>();
        for (String text : requiredValues(form, "accountjids")) {
            jids.add(account(text));
        }
        return jids;
    }

    /** The {@code accountjids} submitted, all of existing accounts: else {@code item-not-found} naming the others (§5). */
    List<EntityBareJid> existingAccounts(Element form, Predicate<EntityBareJid> exists) {
        List<EntityBareJid> jids = accounts(form);
        List<String> missing = jids.stream().filter(exists.negate()).map(EntityBareJid::toString).toList();
        if (!missing.isEmpty()) {
            throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null,
                    "no such account: " + String.join(", ", missing));
        }
        return jids;
    }

    /**
     * The account a submitted JID names: a user's bare JID, or its full JID, of which the bare part
     * counts (XEP-0133 §4.2: the JIDs SHOULD be bare; a client may send one with its resource).
     */
    EntityBareJid account(String text) {
        EntityBareJid jid;
        try {
            jid = Jids.parse(text).asEntityBareJidIfPossible();
        } catch (JidMalformedException e) {
            jid = null;
        }
        if (jid == null) {
            throw CommandException.badPayload(text + " is not a user's JID (user@domain)");
        }
        if (!domain.equals(jid.asDomainBareJid())) {
            throw CommandException.badPayload(text + " is not a user of " + domain);
        }
        return jid;
    }

    /** §4.13-§4.17: one stage, the number in a result form. */
    static CommandStage number(String var, String label, int number) {
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field(var, null, label, false, List.of(Integer.toString(number))).element(), null);
    }

    /** §4.18-§4.22: how many JIDs to list at most. */
    static Element maxItemsForm(String which) {
        return DataForm.form(FORM_TYPE, "Requesting List of " + capitalized(which) + " Users",
                        "Fill out this form to request the " + which + " users of this service.")
                .listSingle("max_items", "Maximum number of items to show", MAX_ITEMS, "25")
                .element();
    }

    /** §4.18-§4.22: the first {@code max_items} of the JIDs (all for {@code none} or none given), and how many there are. */
    static CommandStage list(Element form, String var, String label, List<EntityBareJid> jids) {
        String max = DataForm.value(form, "max_items");
        int limit;
        if (max == null || "none".equals(max)) {
            limit = Integer.MAX_VALUE;
        } else {
            try {
                limit = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw CommandException.badPayload("max_items must be a number or none");
            }
            if (limit < 1) {
                throw CommandException.badPayload("max_items must be positive");
            }
        }
        List<String> listed = jids.stream().limit(limit).map(EntityBareJid::toString).toList();
        return CommandStage.completed(DataForm.result(FORM_TYPE)
                .field(var, "jid-multi", label, false, listed).element(),
                listed.size() < jids.size() ? "The first " + listed.size() + " of " + jids.size() + "." : null);
    }

    /** A form of one required {@code text-multi} field, holding {@code value} (its lines). */
    static Element textForm(String title, String instructions, String var, String label, List<String> value) {
        return DataForm.form(FORM_TYPE, title, instructions).field(var, "text-multi", label, true, value).element();
    }

    /** A {@code text-multi} value: its lines (XEP-0004 §3.3: one {@code <value/>} each). */
    static String text(Element form, String var) {
        String text = String.join("\n", DataForm.values(form, var)).strip();
        if (text.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return text;
    }

    /** The lines of a text, the values of a {@code text-multi} field. */
    static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    static Jid parse(String text) {
        try {
            return Jids.parse(text);
        } catch (JidMalformedException e) {
            throw CommandException.badPayload(text + " is not a JID");
        }
    }

    static String required(Element form, String var) {
        String value = DataForm.value(form, var);
        if (value == null) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return value;
    }

    /** A password as submitted: not trimmed, spaces may be part of it. */
    static String password(Element form, String var) {
        String password = DataForm.values(form, var).stream().findFirst().orElse("");
        if (password.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return password;
    }

    static List<String> requiredValues(Element form, String var) {
        List<String> values = DataForm.values(form, var).stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw CommandException.badPayload("the field " + var + " is required");
        }
        return values;
    }

    static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
