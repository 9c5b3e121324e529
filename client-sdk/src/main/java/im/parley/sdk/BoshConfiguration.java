package im.parley.sdk;

import java.net.URI;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smack.ConnectionConfiguration;

/** Smack's connection settings plus what a {@link BoshConnection} needs: the endpoint and its TLS context. */
final class BoshConfiguration extends ConnectionConfiguration {

    private final URI url;
    private final SSLContext tls;

    private BoshConfiguration(Builder builder) {
        super(builder);
        this.url = Objects.requireNonNull(builder.url, "url");
        this.tls = Objects.requireNonNull(builder.tls, "tls");
    }

    static Builder builder() {
        return new Builder();
    }

    URI url() {
        return url;
    }

    SSLContext tls() {
        return tls;
    }

    static final class Builder extends ConnectionConfiguration.Builder<Builder, BoshConfiguration> {
        private URI url;
        private SSLContext tls;

        private Builder() {
        }

        /** The connection manager's URL, http or https. */
        Builder setUrl(URI url) {
            this.url = url;
            return this;
        }

        /** The TLS context of https connections, whose trust manager checks the server's certificate. */
        Builder setTls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        @Override
        public BoshConfiguration build() {
            return new BoshConfiguration(this);
        }

        @Override
        protected Builder getThis() {
            return this;
        }
    }
}
