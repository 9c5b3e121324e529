package im.parley.server.modules.register;

import static im.parley.server.module.IqReplies.done;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.account.AccountService;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-band registration for authenticated accounts (XEP-0077): the registration query
 * ({@code <registered/>}, §3.1), password change (§3.3) and account removal (§3.2: result, then
 * a {@code <not-authorized/>} stream error that ends every session of the account at once).
 * Addressed to the account's own domain or sent without {@code to}. Account creation happens before
 * authentication, in the c2s registration feature; password change and removal are always
 * available to the account itself, whether or not new registrations are open.
 */
public final class RegisterModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterModule.class);
    /** Before SASL: accounts are created before authenticating (XEP-0077 §3.1). */
    public static final int FEATURE_ORDER = C2sFeatures.SASL - 100;

    static final OptionSection SECTION = new OptionSection("registration", "In-band account registration (XEP-0077). "
            + "Off by default: when on, anyone who reaches the server can create accounts, limited per client address.");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, false,
            "Whether clients may create accounts in-band before authenticating (XEP-0077 §3.1).");
    public static final ModuleOption<List<String>> DOMAINS = SECTION.option("domains", ValueType.HOSTED_DOMAIN_LIST,
            List.of(), "Hosted domains open to registration; empty means every hosted domain.", "[\"example.org\"]");
    public static final ModuleOption<Integer> MAX_PER_ADDRESS = SECTION.option("max_per_address", ValueType.POSITIVE, 3,
            "Registration attempts allowed per client address within `window`.");
    public static final ModuleOption<Duration> WINDOW = SECTION.option("window", ValueType.DURATION, Duration.ofHours(1),
            "The window for `max_per_address`.");
    public static final ModuleOption<Integer> MAX_PER_CONNECTION = SECTION.option("max_per_connection",
            ValueType.POSITIVE, 1, "Accounts one unauthenticated connection may register (XEP-0077 §3.1).");

    private ModuleContext context;
    private AccountService accounts;

    @Override
    public String name() {
        return "register";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(ENABLED, DOMAINS, MAX_PER_ADDRESS, WINDOW, MAX_PER_CONNECTION);
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        this.accounts = new AccountService(moduleContext.storage().accounts());
        InBandRegistration registration = new InBandRegistration(RegistrationConfig.of(moduleContext), accounts::create,
                moduleContext.clock());
        context.addStreamFeature(FEATURE_ORDER, () -> new RegistrationFeature(registration));
        context.addServerFeature(RegisterQueries.NAMESPACE);
        context.handleServerIq(RegisterQueries.NAMESPACE, this::handle);
        context.handleAccountIq(RegisterQueries.NAMESPACE, this::handle);
    }

    private CompletionStage<Element> handle(Stanza iq) {
        EntityBareJid account = requester(iq);
        if (account == null) {
            // Registration with this server is for its own accounts; others have nothing to manage here.
            return done(RegisterQueries.error(iq.element(), StanzaErrorCondition.SERVICE_UNAVAILABLE, null));
        }
        Element query = RegisterQueries.query(iq.element());
        if ("get".equals(iq.type())) {
            return done(registered(iq, account));
        }
        if (RegisterQueries.isRemove(query)) {
            if (query.elements().size() != 1) {
                return done(RegisterQueries.error(iq.element(), StanzaErrorCondition.BAD_REQUEST,
                        "<remove/> must be the only child of <query/>"));
            }
            return remove(iq, account);
        }
        return changePassword(iq, query, account);
    }

    /** XEP-0077 §3.1: an already registered entity gets {@code <registered/>} and its username. */
    private static Element registered(Stanza iq, EntityBareJid account) {
        Element result = RegisterQueries.resultWithQuery(iq.element());
        Element query = RegisterQueries.query(result);
        query.addElement(QName.get("registered", RegisterQueries.NS));
        query.addElement(QName.get("instructions", RegisterQueries.NS))
                .setText("You are registered. Send a new password to change it, or <remove/> to delete the account.");
        query.addElement(QName.get("username", RegisterQueries.NS)).setText(account.getLocalpart().toString());
        return result;
    }

    /** XEP-0077 §3.3. */
    private CompletionStage<Element> changePassword(Stanza iq, Element query, EntityBareJid account) {
        String username = RegisterQueries.field(query, "username");
        String password = RegisterQueries.field(query, "password");
        if (username == null || password == null) {
            // §3.3: an empty password never replaces the current one.
            return done(RegisterQueries.error(iq.element(), StanzaErrorCondition.BAD_REQUEST,
                    "a username and a non-empty password are required"));
        }
        if (!InBandRegistration.account(account.asDomainBareJid(), username).map(account::equals).orElse(false)) {
            return done(RegisterQueries.error(iq.element(), StanzaErrorCondition.FORBIDDEN,
                    "you can only change your own password"));
        }
        return PoolWork.supply(() -> {
            try {
                accounts.changePassword(account, password);
                LOG.info("{} changed its password in-band", account);
                return Stanzas.iqResult(iq.element());  // §3.3: an empty result
            } catch (NoSuchAccountException e) {
                return RegisterQueries.error(iq.element(), StanzaErrorCondition.REGISTRATION_REQUIRED, null);
            } catch (IllegalArgumentException e) {
                return RegisterQueries.error(iq.element(), StanzaErrorCondition.NOT_ACCEPTABLE,
                        "the password is not acceptable");
            }
        }, context.blocking());
    }

    /**
     * XEP-0077 §3.2, home server case: the result ("Host Informs Entity of Successful
     * Cancellation"), then "the server SHOULD then return a &lt;not-authorized/&gt; stream error
     * and terminate all active sessions for the entity". The result is routed here rather than
     * returned, and the sessions are closed once its routing is done, so that it is queued on
     * the requesting session before the stream error whatever path the routing takes.
     */
    private CompletionStage<Element> remove(Stanza iq, EntityBareJid account) {
        return PoolWork.supply(() -> {
            try {
                accounts.delete(account);
            } catch (NoSuchAccountException e) {
                return RegisterQueries.error(iq.element(), StanzaErrorCondition.REGISTRATION_REQUIRED, null);
            }
            LOG.info("{} removed its account in-band", account);
            Element result = Stanzas.iqResult(iq.element());
            Jid from = iq.to() == null ? account : iq.to();
            Handling answered = Handling.begin();
            context.send(new Stanza(result, from, iq.from()), answered);
            answered.end();
            answered.completion().whenComplete((done, failure) -> closeSessions(account));
            return null;
        }, context.blocking());
    }

    private void closeSessions(EntityBareJid account) {
        for (LocalSession session : context.sessions().sessionsOf(account)) {
            session.close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "the account was removed"));
        }
    }

    /** The account the request comes from, if it manages itself: no {@code to}, its bare JID or its domain. */
    private EntityBareJid requester(Stanza iq) {
        EntityBareJid sender = iq.from() == null ? null : iq.from().asEntityBareJidIfPossible();
        if (sender == null || !context.domains().contains(sender.asDomainBareJid())) {
            return null;
        }
        Jid to = iq.to();
        boolean own = to == null || to.equals(sender) || to.equals(sender.asDomainBareJid());
        return own ? sender : null;
    }
}
