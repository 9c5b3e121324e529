package im.parley.server.modules.upload;

import static im.parley.server.module.IqReplies.done;
import static im.parley.server.module.IqReplies.error;
import static im.parley.server.module.IqReplies.payload;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.disco.ServerInfo;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The XMPP side of the upload service: its service discovery (XEP-0363 §3) and its answers to
 * slot requests (§4), or the errors of §5.
 */
final class SlotRequests {

    private static final Namespace UPLOAD = Namespace.get(UploadModule.NAMESPACE);
    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace DATA = Namespace.get("jabber:x:data");
    /** RFC 6838 §4.2: type "/" subtype, restricted names; parameters after ';'. */
    static final Pattern CONTENT_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]*)?");
    private static final int MAX_FILENAME = 255;
    /** Striped locks: one user's slot requests check the quota and take a slot one at a time. */
    private final Object[] quotaLocks = new Object[64];

    private final ModuleContext context;
    private final DomainBareJid domain;
    private final UploadSettings settings;
    private final Slots slots;
    private final UploadUrls urls;

    SlotRequests(ModuleContext serviceContext, DomainBareJid domain, UploadSettings settings, Slots slots,
                 UploadUrls urls) {
        this.context = serviceContext;
        this.domain = domain;
        this.settings = settings;
        this.slots = slots;
        this.urls = urls;
        for (int i = 0; i < quotaLocks.length; i++) {
            quotaLocks[i] = new Object();
        }
    }

    void register() {
        context.handleServerIq(ServerInfo.DISCO_INFO, iq -> done(info(iq)));
        context.handleServerIq(ServerInfo.DISCO_ITEMS, iq -> done(items(iq)));
        context.handleServerIq(UploadModule.NAMESPACE, this::request);
    }

    /**
     * XEP-0363 §3: the identity {@code store/file}, the feature, and the largest file as a
     * {@code max-file-size} field of an extended information form (XEP-0128).
     */
    private Element info(Stanza iq) {
        if (!"get".equals(iq.type()) || payload(iq).attributeValue("node") != null) {
            return error(iq, "get".equals(iq.type()) ? StanzaErrorCondition.ITEM_NOT_FOUND
                    : StanzaErrorCondition.BAD_REQUEST, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "store").addAttribute("type", "file")
                .addAttribute("name", "HTTP File Upload");
        for (String feature : new String[] {ServerInfo.DISCO_INFO, ServerInfo.DISCO_ITEMS, UploadModule.NAMESPACE}) {
            query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
        }
        Element form = query.addElement(QName.get("x", DATA)).addAttribute("type", "result");
        form.addElement(QName.get("field", DATA)).addAttribute("var", "FORM_TYPE").addAttribute("type", "hidden")
                .addElement(QName.get("value", DATA)).setText(UploadModule.NAMESPACE);
        form.addElement(QName.get("field", DATA)).addAttribute("var", "max-file-size")
                .addElement(QName.get("value", DATA)).setText(Long.toString(settings.maxFileSize()));
        return result(iq, query);
    }

    private Element items(Stanza iq) {
        if (!"get".equals(iq.type())) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", Namespace.get(ServerInfo.DISCO_ITEMS)));
        String node = payload(iq).attributeValue("node");
        if (node != null) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        return result(iq, query);
    }

    /** XEP-0363 §4: a slot for a file of a local account; §5 when there is none. */
    private CompletionStage<Element> request(Stanza iq) {
        Element request = payload(iq);
        if (!"get".equals(iq.type()) || !"request".equals(request.getName())) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "expected <request/> in an IQ of type get"));
        }
        EntityBareJid owner = iq.from() == null ? null : iq.from().asEntityBareJidIfPossible();
        if (owner == null || !owner.asDomainBareJid().equals(domain)) {
            return done(error(iq, StanzaErrorCondition.FORBIDDEN, "only accounts of " + domain + " may upload here"));
        }
        String filename = request.attributeValue("filename");
        long size = size(request.attributeValue("size"));
        String contentType = request.attributeValue("content-type");
        if (filename == null || filename.isBlank() || filename.length() > MAX_FILENAME
                || filename.chars().anyMatch(Character::isISOControl) || size < 0) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST,
                    "a request needs a filename (at most " + MAX_FILENAME + " characters) and a size in bytes"));
        }
        if (contentType != null && !CONTENT_TYPE.matcher(contentType).matches()) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "not a media type: " + contentType));
        }
        if (size > settings.maxFileSize()) {
            return done(fileTooLarge(iq));
        }
        String name = filename.replace('/', '_').replace('\\', '_');
        String token = Slots.newToken();
        Optional<String> url = urls.of(token, name);
        if (url.isEmpty()) {
            return done(error(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "the upload service has no HTTP URL"));
        }
        return PoolWork.supply(() -> give(iq, owner, new Slots.Slot(token, name, contentType, size,
                Slots.State.PENDING, context.clock().instant()), url.get()), context.blocking());
    }

    /** Blocking: checks the quota and stores the slot, in one turn of the owner's lock. */
    private Element give(Stanza iq, EntityBareJid owner, Slots.Slot slot, String url) {
        Instant now = slot.created();
        Instant storedSince = now.minus(settings.expiry());
        Optional<Long> over;
        synchronized (quotaLocks[Math.floorMod(owner.hashCode(), quotaLocks.length)]) {
            over = slots.give(owner, slot, settings.quota(), now.minus(settings.slotTimeout()), storedSince);
        }
        if (over.isPresent()) {
            return quotaReached(iq, owner, over.get(), storedSince);
        }
        Element result = Stanzas.iqResult(iq.element());
        Element element = result.addElement(QName.get("slot", UPLOAD));
        element.addElement(QName.get("put", UPLOAD)).addAttribute("url", url);
        element.addElement(QName.get("get", UPLOAD)).addAttribute("url", url);
        return result;
    }

    /** XEP-0363 §5: {@code not-acceptable} with the limit, in text and as {@code <file-too-large/>}. */
    private Element fileTooLarge(Stanza iq) {
        Element reply = error(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                "File too large. The maximum file size is " + settings.maxFileSize() + " bytes");
        reply.element("error").addElement(QName.get("file-too-large", UPLOAD))
                .addElement(QName.get("max-file-size", UPLOAD)).setText(Long.toString(settings.maxFileSize()));
        return reply;
    }

    /**
     * XEP-0363 §5, a temporary error: {@code resource-constraint} naming the quota, with a
     * {@code <retry/>} stamp when the user's oldest file expires and frees room.
     */
    private Element quotaReached(Stanza iq, EntityBareJid owner, long used, Instant storedSince) {
        Element reply = error(iq, StanzaErrorCondition.RESOURCE_CONSTRAINT, "Quota reached: " + used + " of "
                + settings.quota() + " bytes per user in use");
        slots.oldestStored(owner, storedSince).ifPresent(oldest -> reply.element("error")
                .addElement(QName.get("retry", UPLOAD)).addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(
                        oldest.plus(settings.expiry()).truncatedTo(ChronoUnit.SECONDS))));
        return reply;
    }

    private static long size(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
