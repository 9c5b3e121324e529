package im.parley.server.modules.adhoc;

/** A command with a fixed node and name; subclasses say who may run it and how it runs. */
public abstract class NamedCommand implements AdHocCommand {

    private final String node;
    private final String name;

    protected NamedCommand(String node, String name) {
        this.node = node;
        this.name = name;
    }

    @Override
    public final String node() {
        return node;
    }

    @Override
    public final String name() {
        return name;
    }
}
