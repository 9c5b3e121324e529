package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The path prefixes modules serve over HTTP. */
class HttpServicesTest {

    private static final HttpService FILES = (request, exchange) -> HttpRequestBody.DISCARD;
    private static final HttpService UPLOADS = (request, exchange) -> HttpRequestBody.DISCARD;

    @Test
    void theLongestPrefixOfAPathTakesIt() {
        HttpServices services = new HttpServices();
        services.register("/files/", FILES);
        services.register("/files/uploads/", UPLOADS);

        assertThat(services.find("/files/a.txt")).containsSame(FILES);
        assertThat(services.find("/files/uploads/a.txt")).containsSame(UPLOADS);
        assertThat(services.find("/files")).isEmpty();
        assertThat(services.find("/elsewhere/files/a.txt")).isEmpty();
    }

    @Test
    void aPrefixIsServedOnceAndNeverTakesTheListenersOwnPaths() {
        HttpServices services = new HttpServices();
        services.register("/files/", FILES);

        assertThatThrownBy(() -> services.register("/files/", UPLOADS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> services.register("/http-bind/", UPLOADS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> services.register("/.well-known/", UPLOADS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> services.register("/", UPLOADS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> services.register("files/", UPLOADS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> services.register("/http-bind", UPLOADS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathWithoutTrailingSlashIsServedAloneNotAsAPrefix() {
        HttpServices services = new HttpServices();
        services.register("/metrics", FILES);

        assertThat(services.find("/metrics")).containsSame(FILES);
        assertThat(services.find("/metrics/x")).isEmpty();
        assertThat(services.find("/metricsx")).isEmpty();
    }
}
