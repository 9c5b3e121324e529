package im.parley.server.modules.caps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * The Entity Capabilities verification string and its hash (XEP-0115 §5.1), computed from a
 * disco#info {@code <query/>} (XEP-0030 §3.1) with its extended information forms (XEP-0128).
 * Sorting is by octets of the UTF-8 encoding ("i;octet", RFC 4790 §9.3), as §5.1 requires.
 */
public final class CapsVerification {

    /** The node Parley advertises in its capabilities (XEP-0115 §4: a URI identifying the software). */
    public static final String NODE = "https://parley.im";
    /** The namespace of the {@code <c/>} element (XEP-0115 §4). */
    public static final String NAMESPACE = "http://jabber.org/protocol/caps";

    /** The {@code hash} attribute value for {@link #ver} (XEP-0115 §4, IANA "sha-1"). */
    public static final String HASH = "sha-1";

    private static final String DATA_FORMS = "jabber:x:data";
    private static final Comparator<String> OCTETS = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private CapsVerification() {
    }

    /** The {@code ver} attribute: base64 of the SHA-1 of {@link #verificationString} (XEP-0115 §5.1 steps 8–9). */
    public static String ver(Element discoInfoQuery) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(verificationString(discoInfoQuery).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** The string S of XEP-0115 §5.1 steps 1–7. */
    public static String verificationString(Element discoInfoQuery) {
        StringBuilder s = new StringBuilder();
        List<Identity> identities = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (Element child : discoInfoQuery.elements()) {
            if ("identity".equals(child.getName())) {
                identities.add(new Identity(child.attributeValue("category", ""), child.attributeValue("type", ""),
                        lang(child), child.attributeValue("name", "")));
            } else if ("feature".equals(child.getName())) {
                features.add(child.attributeValue("var", ""));
            }
        }
        identities.sort(Comparator.comparing(Identity::category, OCTETS).thenComparing(Identity::type, OCTETS)
                .thenComparing(Identity::lang, OCTETS).thenComparing(Identity::name, OCTETS));
        identities.forEach(i -> s.append(i.category()).append('/').append(i.type()).append('/').append(i.lang())
                .append('/').append(i.name()).append('<'));
        features.sort(OCTETS);
        features.forEach(feature -> s.append(feature).append('<'));
        List<Form> forms = new ArrayList<>();
        for (Element x : discoInfoQuery.elements(QName.get("x", DATA_FORMS))) {
            Form form = Form.of(x);
            // §5.4 rule 3.6: forms without a FORM_TYPE are ignored.
            if (form != null) {
                forms.add(form);
            }
        }
        forms.sort(Comparator.comparing(Form::formType, OCTETS));
        forms.forEach(form -> form.appendTo(s));
        return s.toString();
    }

    private static String lang(Element identity) {
        String lang = identity.attributeValue(QName.get("lang", Namespace.XML_NAMESPACE));
        return lang == null ? "" : lang;
    }

    private record Identity(String category, String type, String lang, String name) {
    }

    /** One extended information form: its FORM_TYPE and its other fields, each with its values. */
    private record Form(String formType, List<Field> fields) {

        static Form of(Element x) {
            String formType = null;
            List<Field> fields = new ArrayList<>();
            for (Element field : x.elements(QName.get("field", DATA_FORMS))) {
                List<String> values = new ArrayList<>();
                field.elements(QName.get("value", DATA_FORMS)).forEach(v -> values.add(v.getText()));
                String var = field.attributeValue("var", "");
                if ("FORM_TYPE".equals(var)) {
                    formType = values.isEmpty() ? "" : values.get(0);
                } else {
                    values.sort(OCTETS);
                    fields.add(new Field(var, values));
                }
            }
            if (formType == null) {
                return null;
            }
            fields.sort(Comparator.comparing(Field::var, OCTETS));
            return new Form(formType, fields);
        }

        void appendTo(StringBuilder s) {
            s.append(formType).append('<');
            for (Field field : fields) {
                s.append(field.var()).append('<');
                field.values().forEach(value -> s.append(value).append('<'));
            }
        }
    }

    private record Field(String var, List<String> values) {
    }
}
