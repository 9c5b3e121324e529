package im.parley.server.c2s;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.server.c2s.feature.BindFeature;
import im.parley.server.c2s.feature.ChannelBindingTypesFeature;
import im.parley.server.c2s.feature.SaslFeature;
import im.parley.server.c2s.feature.StartTlsFeature;
import im.parley.server.c2s.feature.StreamLimitsFeature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The c2s policy: the stream features in the order they are advertised and negotiated. The
 * core's (STARTTLS, SASL, channel binding types, bind) are always there; modules add theirs
 * through their context ({@code ModuleContext.addStreamFeature}) with an order key between or
 * after them. Each connection gets fresh instances (features hold per-stream state).
 */
public final class C2sFeatures {

    /** STARTTLS (RFC 6120 §5): first, before anything is sent in the clear. */
    public static final int STARTTLS = 100;
    /** SASL (RFC 6120 §6). Pre-authentication features of modules (in-band registration) go before it. */
    public static final int SASL = 300;
    /** Channel binding types (XEP-0440), announced with SASL. */
    public static final int CHANNEL_BINDING_TYPES = 400;
    /** Resource binding (RFC 6120 §7). Post-authentication features of modules go after it. */
    public static final int BIND = 500;
    /** The stream's limits (XEP-0478), announced on every stream, after the others. */
    public static final int STREAM_LIMITS = 10_000;

    private record Entry(int order, Supplier<? extends FeatureNegotiator<C2sSession>> factory) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** The core's features only. */
    public C2sFeatures() {
        add(STARTTLS, StartTlsFeature::new);
        add(SASL, SaslFeature::new);
        add(CHANNEL_BINDING_TYPES, ChannelBindingTypesFeature::new);
        add(BIND, BindFeature::new);
        add(STREAM_LIMITS, StreamLimitsFeature::new);
    }

    /**
     * Adds a feature at {@code order}; features of equal order keep the order they were added.
     *
     * @param factory makes the feature for one connection
     */
    public void add(int order, Supplier<? extends FeatureNegotiator<C2sSession>> factory) {
        entries.add(new Entry(order, factory));
    }

    /** Fresh features for one connection, in order. */
    public List<FeatureNegotiator<C2sSession>> newNegotiators() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::order));
        List<FeatureNegotiator<C2sSession>> features = new ArrayList<>(sorted.size());
        for (Entry entry : sorted) {
            features.add(entry.factory().get());
        }
        return List.copyOf(features);
    }
}
