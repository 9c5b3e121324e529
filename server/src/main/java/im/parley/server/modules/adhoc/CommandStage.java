package im.parley.server.modules.adhoc;

import java.util.List;
import java.util.Set;
import org.dom4j.Element;

/**
 * What one step of a command answers (XEP-0050 §2.4): a stage that waits for the requester
 * ({@code executing}, with the actions it allows and the one {@code execute} means), or the end
 * ({@code completed}). A completed command that failed says so in an error note (§3.6).
 *
 * @param payload a data form (XEP-0004) or null
 * @param actions the actions the stage allows besides {@code cancel}; empty when completed
 * @param defaultAction what {@code execute} means at this stage; null when completed
 */
public record CommandStage(boolean completed, Element payload, Set<CommandAction> actions,
                           CommandAction defaultAction, List<Note> notes) {

    /** A {@code <note/>} (XEP-0050 §4.3). */
    public record Note(String type, String text) {
    }

    public CommandStage {
        actions = Set.copyOf(actions);
        notes = List.copyOf(notes);
        if (!completed && !actions.contains(defaultAction)) {
            throw new IllegalArgumentException("the default action must be one of the stage's actions");
        }
    }

    /** A form to fill in, with the actions the requester may take; {@code defaultAction} is what execute means. */
    public static CommandStage executing(Element form, CommandAction defaultAction, CommandAction... actions) {
        return new CommandStage(false, form, Set.of(actions), defaultAction, List.of());
    }

    /** The end of a single-stage or last stage: a form of type {@code form}, asking only to complete. */
    public static CommandStage lastForm(Element form) {
        return executing(form, CommandAction.COMPLETE, CommandAction.COMPLETE);
    }

    /** Done, with an optional result form and an informational note. */
    public static CommandStage completed(Element result, String info) {
        return new CommandStage(true, result, Set.of(), null, info == null ? List.of() : List.of(new Note("info", info)));
    }

    /** Done, but it failed (XEP-0050 §3.6: a completed command that failed carries an error note). */
    public static CommandStage failed(String error) {
        return new CommandStage(true, null, Set.of(), null, List.of(new Note("error", error)));
    }
}
