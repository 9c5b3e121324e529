package im.parley.server.modules.avatar;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * An avatar image: its bytes and MIME type, and its id, the SHA-1 of the bytes in hex (XEP-0084
 * §4.2, XEP-0153 §4.1 use the same). Read from a vCard's PHOTO (XEP-0054, XEP-0153 §3.1).
 */
public record Avatar(byte[] bytes, String type) {

    public static final String VCARD = "vcard-temp";

    /** XEP-0084 §4.2.1.3: "the SHA-1 hash of the image data ... encoded as hexadecimal". */
    public String id() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The PHOTO of a vCard (XEP-0153 §3.1: TYPE and BINVAL), if it has one with data. */
    public static Optional<Avatar> ofVcard(Element vcard) {
        Element photo = vcard.element(QName.get("PHOTO", VCARD));
        if (photo == null) {
            return Optional.empty();
        }
        String binval = photo.elementText(QName.get("BINVAL", VCARD));
        if (binval == null || binval.isBlank()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(binval.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String type = photo.elementTextTrim(QName.get("TYPE", VCARD));
        return bytes.length == 0 ? Optional.empty() : Optional.of(new Avatar(bytes, type == null || type.isEmpty()
                ? "image/png" : type));
    }

    /** {@code vcard} with this avatar as its PHOTO, or none ({@code avatar} null), everything else kept. */
    static Element inVcard(Element vcard, Avatar avatar) {
        Element copy = vcard.createCopy();
        copy.elements(QName.get("PHOTO", VCARD)).forEach(copy::remove);
        if (avatar != null) {
            Element photo = copy.addElement(QName.get("PHOTO", VCARD));
            photo.addElement(QName.get("TYPE", VCARD)).setText(avatar.type());
            photo.addElement(QName.get("BINVAL", VCARD)).setText(avatar.base64());
        }
        return copy;
    }
}
