package im.parley.server.c2s;

import im.parley.core.negotiation.FeatureNegotiator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty end of a client TCP connection: hands decoded input to a {@link C2sStreamProcessor}. */
public final class C2sStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(C2sStreamHandler.class);

    private final C2sContext context;
    private final List<FeatureNegotiator<C2sSession>> features;
    private C2sStreamProcessor processor;

    public C2sStreamHandler(C2sContext context, List<FeatureNegotiator<C2sSession>> features) {
        this.context = context;
        this.features = features;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        processor = new C2sStreamProcessor(context, features, new TcpTransport(ctx.channel()));
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (processor != null) {
            processor.disconnected();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        processor.receive(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            LOG.debug("{}: connection error: {}", processor == null ? ctx.channel() : processor.session(), cause.toString());
            ctx.close();
        } else if (processor != null) {
            processor.internalError(cause);
        } else {
            ctx.close();
        }
    }
}
