package im.parley.server.config;

import im.parley.core.net.ByteRate;
import im.parley.core.xml.XmlLimits;

/**
 * Limits on what one stream may make the server parse (issue 17): names, attributes and
 * namespace declarations per stanza (see {@link XmlLimits}) and the bytes read per second.
 *
 * @param maxAttributes most attributes on one element, namespace declarations included
 * @param maxNamespaceDeclarations most namespace declarations in one stanza
 * @param maxNames most distinct element names, attribute names and prefixes in one stanza;
 *     also how many a stream's parser learns before it is rebuilt
 * @param c2sRead how fast a client connection (TCP or WebSocket) is read
 * @param s2sRead how fast a server-to-server connection is read, each direction
 */
public record InputLimits(int maxAttributes, int maxNamespaceDeclarations, int maxNames, ByteRate c2sRead,
                          ByteRate s2sRead) {

    /**
     * Clients: Prosody's shipped rate (mod_limits, 10 kB/s), with a burst of 64 KiB (a login with
     * an OMEMO bundle and an avatar). Servers: ejabberd's (its s2s shaper, 100 kB/s; Prosody ships
     * 30 kB/s), as one stream carries the traffic of every user of two domains, with a burst of
     * one largest stanza.
     */
    public static InputLimits defaults() {
        return new InputLimits(XmlLimits.DEFAULT_MAX_ATTRIBUTES, XmlLimits.DEFAULT_MAX_NAMESPACE_DECLARATIONS,
                XmlLimits.DEFAULT_MAX_NAMES, new ByteRate(10_000, 64 * 1024), new ByteRate(100_000, 256 * 1024));
    }

    public InputLimits withMaxAttributes(int value) {
        return new InputLimits(value, maxNamespaceDeclarations, maxNames, c2sRead, s2sRead);
    }

    public InputLimits withMaxNamespaceDeclarations(int value) {
        return new InputLimits(maxAttributes, value, maxNames, c2sRead, s2sRead);
    }

    public InputLimits withMaxNames(int value) {
        return new InputLimits(maxAttributes, maxNamespaceDeclarations, value, c2sRead, s2sRead);
    }

    public InputLimits withC2sRead(ByteRate value) {
        return new InputLimits(maxAttributes, maxNamespaceDeclarations, maxNames, value, s2sRead);
    }

    public InputLimits withS2sRead(ByteRate value) {
        return new InputLimits(maxAttributes, maxNamespaceDeclarations, maxNames, c2sRead, value);
    }
}
