package im.parley.server.modules.upload;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code Content-Disposition} of a served file (RFC 6266): {@code inline} for pictures, sound
 * and video that browsers and clients show in place, {@code attachment} for everything else
 * (HTML, SVG, scripts are never rendered as a page of this origin); the user's file name as a
 * plain ASCII fallback with nothing that could end the header value, and in full as
 * {@code filename*} (RFC 8187).
 */
final class ContentDisposition {

    private ContentDisposition() {
    }

    static String of(String contentType, String filename) {
        String type = contentType.toLowerCase(Locale.ROOT);
        boolean inline = (type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/"))
                && !type.startsWith("image/svg");
        StringBuilder ascii = new StringBuilder();
        for (char c : filename.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? c : '_');
        }
        String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
