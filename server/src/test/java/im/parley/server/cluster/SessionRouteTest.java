package im.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade (docs/operations.md, Clustering): a node reads the routes a node of an
 * earlier version shares in the same map, whose {@link SessionRoute} lacks the later components
 * (the route map's name changed with its keys since the version below: the rule stays for the
 * components to come).
 */
class SessionRouteTest {

    /**
     * {@code new SessionRoute("node-a", "binding-1", true, 5, "<presence xmlns='jabber:client'/>", true,
     * List.of("nurse@cluster.test"))} as the version before carbons and block-list interest were
     * shared wrote it (Java serialization, as Hazelcast's replicated map stores it).
     */
    private static final String PREVIOUS_VERSION = "rO0ABXNyACVpbS5wYXJsZXkuc2VydmVyLmNsdXN0ZXIuU2Vzc2lvblJvdXRlAAAA"
            + "AAAAAAICAAdaAAlhdmFpbGFibGVJAAhwcmlvcml0eVoAD3Jvc3RlclJlcXVlc3RlZEwAB2JpbmRpbmd0ABJMamF2YS9sYW5nL1N0cmlu"
            + "ZztMAApkaXJlY3RlZFRvdAAQTGphdmEvdXRpbC9MaXN0O0wABG5vZGVxAH4AAUwACHByZXNlbmNlcQB+AAF4cAEAAAAFAXQACWJpbmRp"
            + "bmctMXNyABFqYXZhLnV0aWwuQ29sbFNlcleOq7Y6G6gRAwABSQADdGFneHAAAAABdwQAAAABdAASbnVyc2VAY2x1c3Rlci50ZXN0eHQA"
            + "Bm5vZGUtYXQAITxwcmVzZW5jZSB4bWxucz0namFiYmVyOmNsaWVudCcvPg==";

    /** Its session gets no carbon copies (XEP-0280) and no block-list pushes (XEP-0191) from this node's version. */
    @Test
    void aRouteOfThePreviousVersionReadsWithCarbonsOffAndNoBlockListInterest() throws Exception {
        SessionRoute route;
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(PREVIOUS_VERSION)))) {
            route = (SessionRoute) in.readObject();
        }

        assertThat(route).isEqualTo(new SessionRoute("node-a", "binding-1", true, 5,
                "<presence xmlns='jabber:client'/>", true, List.of("nurse@cluster.test"), false, false, 0));
    }
}
