package im.parley.server.http;

import io.netty.channel.Channel;

/**
 * One HTTP request of a BOSH session, waiting for its response (XEP-0124 §3).
 *
 * @param rid the request id (§14)
 * @param body the parsed {@code <body/>}
 * @param channel the HTTP connection to answer on
 * @param keepAlive whether the client keeps the connection for the next request
 */
record BoshRequest(long rid, BoshBody body, Channel channel, boolean keepAlive) {

    void respond(String xml) {
        BoshResponses.send(channel, keepAlive, xml);
    }
}
