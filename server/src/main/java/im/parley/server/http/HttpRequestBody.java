package im.parley.server.http;

import io.netty.buffer.ByteBuf;

/** What takes one request's body for an {@link HttpService}, on the connection's event loop. */
public interface HttpRequestBody {

    /** A body that is not needed: its bytes are dropped as they come. */
    HttpRequestBody DISCARD = new HttpRequestBody() {
        @Override
        public void content(ByteBuf piece) {
        }

        @Override
        public void end() {
        }

        @Override
        public void aborted() {
        }
    };

    /** The next piece of the body; released after this returns, so retain it to keep it. */
    void content(ByteBuf piece);

    /** The body is complete. */
    void end();

    /** The connection closed (or the request failed) before the body was complete. */
    void aborted();
}
