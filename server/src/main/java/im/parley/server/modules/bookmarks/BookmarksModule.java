package im.parley.server.modules.bookmarks;

import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.pep.PepModule;
import im.parley.server.modules.pep.PepService;
import im.parley.server.modules.privatedata.PrivateDataModule;
import java.util.List;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bookmarks (XEP-0402) kept in PEP, and the same bookmarks for clients of XEP-0048: through
 * private XML (XEP-0049, "#compat", XEP-0411) and through the legacy PEP node ("#compat-pep").
 */
public final class BookmarksModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(BookmarksModule.class);

    @Override
    public String name() {
        return "bookmarks";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("pep", "private");
    }

    @Override
    public void load(ModuleContext context) {
        PepService pep = context.module(this, PepModule.class).service();
        BookmarkSync sync = new BookmarkSync(pep, context.storage().privateXml());
        context.module(this, PrivateDataModule.class).serve(QName.get("storage", Bookmark.LEGACY), sync);
        pep.onChange(Bookmark.BOOKMARKS2, sync::bookmarks2Changed);
        pep.onChange(Bookmark.LEGACY, sync::legacyChanged);
        // XEP-0411 §3: bookmarks kept in private XML are in PEP before the client's first request, which waits for this turn.
        context.hook(SessionEvents.BOUND, EventPriority.OBSERVE, session -> {
            EntityBareJid owner = session.jid().asEntityBareJid();
            context.newTurns(owner).defer(() -> PoolWork.run(() -> sync.migrate(owner), context.blocking()))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            LOG.warn("the private XML bookmarks of {} did not move to PEP", owner, failure);
                        }
                    });
            return Verdict.PASS;
        });
        // XEP-0402 §5.3: private XML and the legacy PEP node are kept in step, on the account.
        context.addAccountFeature(Bookmark.BOOKMARKS2 + "#compat");
        context.addAccountFeature(Bookmark.BOOKMARKS2 + "#compat-pep");
        // XEP-0411 §2: "The service MUST include ... urn:xmpp:bookmarks-conversion:0 on the account."
        context.addAccountFeature("urn:xmpp:bookmarks-conversion:0");
    }
}
