package im.parley.server.modules.disco;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.caps.CapsVerification;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerInfoTest {

    private final Set<String> features = new CopyOnWriteArraySet<>(Set.of("urn:xmpp:ping"));
    private final AtomicLong changes = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final ServerInfo info = new ServerInfo(() -> {
        reads.incrementAndGet();
        return Set.copyOf(features);
    }, List::of, changes::get);

    @Test
    void theCapsHashIsComputedOncePerChangeOfWhatTheServerAnnounces() {
        // XEP-0115 §5.1: ver is the hash of the disco#info the server answers; every stream's
        // features carry it (§6.3), so it is not recomputed per stream.
        String first = info.capsVer();
        assertThat(info.capsVer()).isEqualTo(first);
        assertThat(reads).hasValue(1);
        assertThat(first).isEqualTo(CapsVerification.ver(info.infoQuery(null)));

        features.add("jabber:iq:version");
        changes.incrementAndGet();

        String second = info.capsVer();
        assertThat(second).isNotEqualTo(first).isEqualTo(CapsVerification.ver(info.infoQuery(null)));
        assertThat(info.capsNode()).isEqualTo(CapsVerification.NODE + "#" + second);
    }
}
