package im.parley.server.modules.mam;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.Rsm;
import im.parley.server.storage.StoredXml;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;

/**
 * What an archive answers to a query (XEP-0313 §4), whoever keeps it: an account
 * ({@link ArchiveRequests}) or a MUC room ({@link ModuleArchive}).
 */
final class ArchiveAnswers {

    private ArchiveAnswers() {
    }

    /** §4.1.5: the fields a query may use, {@code ids} open to any value (XEP-0122). */
    static Element form() {
        Element query = DocumentHelper.createElement(QName.get("query", MamModule.NAMESPACE));
        Element form = query.addElement(QName.get("x", QueryParser.DATA)).addAttribute("type", "form");
        form.addElement(QName.get("field", QueryParser.DATA)).addAttribute("type", "hidden").addAttribute("var", "FORM_TYPE")
                .addElement(QName.get("value", QueryParser.DATA)).setText(MamModule.NAMESPACE);
        field(form, "with", "jid-single");
        for (String var : List.of("start", "end", "before-id", "after-id")) {
            field(form, var, "text-single");
        }
        field(form, "ids", "list-multi").addElement(QName.get("validate", ArchiveRequests.XDATA_VALIDATE))
                .addAttribute("datatype", "xs:string").addElement(QName.get("open", ArchiveRequests.XDATA_VALIDATE));
        return query;
    }

    private static Element field(Element form, String var, String type) {
        return form.addElement(QName.get("field", QueryParser.DATA)).addAttribute("type", type).addAttribute("var", var);
    }

    /**
     * §4: each match as a {@code <result/>} message from {@code archive} to {@code requester},
     * oldest first (newest first with {@code <flip-page/>}), handed to {@code deliver} before the
     * answer with the {@code <fin/>} is returned (§4.2); an invalid query or unknown id is the
     * error answer instead. Blocking (reads the store).
     */
    static Element query(Stanza iq, Element payload, int maxPageSize, BareJid archive, Jid requester,
                         Function<ArchiveQuery, ArchivePage> store, Consumer<Element> deliver) {
        ArchiveQuery query;
        ArchivePage page;
        try {
            query = QueryParser.parse(payload, maxPageSize);
            page = store.apply(query);
        } catch (QueryParser.InvalidQuery e) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(e.condition, e.getMessage()));
        } catch (ArchiveIndex.UnknownIdException e) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND, e.getMessage()));
        }
        String queryId = payload.attributeValue("queryid");
        List<ArchivedMessage> items = new ArrayList<>(page.items());
        if (query.flip()) {
            Collections.reverse(items);
        }
        for (ArchivedMessage item : items) {
            Element result = result(archive, requester, queryId, item);
            if (result != null) {
                deliver.accept(result);
            }
        }
        Element fin = DocumentHelper.createElement(QName.get("fin", MamModule.NAMESPACE));
        if (page.complete()) {
            fin.addAttribute("complete", "true");
        }
        List<ArchivedMessage> found = page.items();
        fin.add(Rsm.answer(found.isEmpty() ? null : found.get(0).id(), null,
                found.isEmpty() ? null : found.get(found.size() - 1).id(), page.count()));
        Element answer = Stanzas.iqResult(iq.element());
        answer.add(fin);
        return answer;
    }

    /** §4.2: the archived message forwarded (XEP-0297) with the time it was archived (XEP-0203). */
    private static Element result(BareJid archive, Jid requester, String queryId, ArchivedMessage item) {
        Element archived;
        try {
            archived = StoredXml.read(item.stanzaXml());
        } catch (DocumentException e) {
            return null;
        }
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("from", archive.toString());
        message.addAttribute("to", requester.toString());
        message.addAttribute("id", UUID.randomUUID().toString());
        Element result = message.addElement(QName.get("result", MamModule.NAMESPACE));
        if (queryId != null) {
            result.addAttribute("queryid", queryId);
        }
        result.addAttribute("id", item.id());
        Element forwarded = result.addElement(QName.get("forwarded", ArchiveRequests.FORWARD));
        forwarded.addElement(QName.get("delay", ArchiveRequests.DELAY)).addAttribute("stamp", stamp(item.stamp()));
        forwarded.add(archived);
        return message;
    }

    static String stamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
