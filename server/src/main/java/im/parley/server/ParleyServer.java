package im.parley.server;

import im.parley.server.config.ParleyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placeholder for the server assembly, which the lead writes on another branch; it only logs so
 * that {@code parley run} can be built and tried. Replaced at merge.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    private final ParleyConfig config;

    public ParleyServer(ParleyConfig config) {
        this.config = config;
    }

    public void start() throws Exception {
        LOG.info("Parley starting for domains {}", config.domains());
    }

    @Override
    public void close() {
        LOG.info("Parley stopped");
    }
}
