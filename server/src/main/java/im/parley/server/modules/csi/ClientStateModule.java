package im.parley.server.modules.csi;

import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.List;

/**
 * Client state indication (XEP-0352): offers the {@code <csi xmlns='urn:xmpp:csi:0'/>} stream
 * feature to authenticated clients (§5), which then holds traffic back while they are inactive
 * ({@link ClientStateFeature}).
 */
public final class ClientStateModule implements XmppModule {

    /** After stream management, the last of the post-authentication features. */
    public static final int FEATURE_ORDER = C2sFeatures.BIND + 600;

    static final OptionSection SECTION = new OptionSection("client_state", "Client state indication (XEP-0352): "
            + "traffic held back while a client is inactive (see docs/mobile.md).");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, true,
            "Whether client state indication is offered to clients (XEP-0352).");
    public static final ModuleOption<Integer> MAX_BUFFERED = SECTION.option("max_buffered", ValueType.POSITIVE, 100,
            "Most stanzas held back per inactive client; one more flushes them.");

    @Override
    public String name() {
        return "client-state";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(ENABLED, MAX_BUFFERED);
    }

    @Override
    public void load(ModuleContext context) {
        if (context.option(ENABLED)) {
            int maxBuffered = context.option(MAX_BUFFERED);
            context.addStreamFeature(FEATURE_ORDER, () -> new ClientStateFeature(maxBuffered));
        }
    }
}
