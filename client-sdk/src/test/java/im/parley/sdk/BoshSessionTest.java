package im.parley.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;

/**
 * The client side of a BOSH session (XEP-0124, XEP-0206) against a scripted connection manager:
 * every request the session posts is seen here and answered, broken or left open by the test.
 */
class BoshSessionTest {
    private static final long FIRST_RID = 1_000;
    private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
    private static final BoshSession.Timings FAST = new BoshSession.Timings(Duration.ofSeconds(60),
            Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(60));

    private final ScriptedHttp http = new ScriptedHttp();
    private final Recorder listener = new Recorder();
    private final BoshSession session = new BoshSession(http, FAST, "example.org", "en", FIRST_RID, listener);

    // XEP-0124 §7.1, XEP-0206 §4: "the client SHOULD include ... 'ver' ... 'xmpp:version'"; §10:
    // "if no requests are being held, the client MUST make a new request".
    @Test
    void createsTheSessionThenKeepsARequestHeld() throws Exception {
        session.start();
        Exchange creation = http.next();
        assertThat(creation.body()).contains("rid='1000'", "to='example.org'", "ver='1.11'", "wait='60'",
                "hold='1'", "xmpp:version='1.0'", "xmlns:xmpp='urn:xmpp:xbosh'", "xml:lang='en'")
                .doesNotContain("sid=");
        assertThat(session.established()).isFalse();

        creation.answer("<body " + NS + " sid='s1' wait='60' requests='2' hold='1' inactivity='60' authid='a1'>"
                + "<stream:features xmlns:stream='http://etherx.jabber.org/streams'/></body>");
        assertThat(listener.next()).isEqualTo("1000:features");
        assertThat(session.established()).isTrue();
        Exchange held = http.next();
        assertThat(held.rid()).isEqualTo(1001);
        assertThat(held.body()).contains("sid='s1'").endsWith("/>");
        http.assertNothingMore();
    }

    // XEP-0124 §11: "The client SHOULD NOT make more simultaneous requests than specified by the
    // 'requests' attribute".
    @Test
    void neverHasMoreRequestsUnansweredThanGranted() throws Exception {
        Exchange held = established();
        assertThat(session.send("<message id='one'/>")).isTrue();
        Exchange first = http.next();
        assertThat(first.rid()).isEqualTo(1002);
        assertThat(first.body()).contains("<message id='one'/>");
        session.send("<message id='two'/>");
        session.send("<message id='three'/>");
        http.assertNothingMore();

        held.answer("<body " + NS + "/>");
        Exchange second = http.next();
        assertThat(second.rid()).isEqualTo(1003);
        assertThat(second.body()).contains("<message id='two'/><message id='three'/>");
        http.assertNothingMore();
    }

    // XEP-0124 §14.2: "The client MUST process responses received from the connection manager in
    // the order the requests were made."
    @Test
    void handsOverResponsesInRidOrder() throws Exception {
        Exchange held = established();
        session.send("<message id='one'/>");
        Exchange later = http.next();
        later.answer("<body " + NS + "><message id='second'/></body>");
        held.answer("<body " + NS + "><message id='first'/></body>");
        assertThat(listener.next()).isEqualTo("1001:message");
        assertThat(listener.next()).isEqualTo("1002:message");
    }

    // XEP-0124 §14.3: "If the network connection is broken or closed before the client receives a
    // response to a request from the connection manager, then the client MAY resend an exact copy
    // of the original request."
    @Test
    void sendsTheSameRequestAgainWhenItsConnectionBreaks() throws Exception {
        Exchange held = established();
        session.send("<message id='during-the-cut'/>");
        Exchange carrying = http.next();
        held.breakConnection();
        carrying.breakConnection();

        List<Exchange> again = List.of(http.next(), http.next());
        assertThat(again).extracting(Exchange::body).containsExactlyInAnyOrder(held.body(), carrying.body());
        Exchange heldAgain = again.get(0).rid() == 1001 ? again.get(0) : again.get(1);
        Exchange carryingAgain = again.get(0).rid() == 1002 ? again.get(0) : again.get(1);
        heldAgain.breakConnection();
        carryingAgain.answer("<body " + NS + "/>");
        Exchange third = http.next();
        assertThat(third.body()).isEqualTo(held.body());
        third.answer("<body " + NS + "><message id='kept'/></body>");

        assertThat(listener.next()).isEqualTo("1001:message");
        assertThat(listener.next()).isEqualTo("1002:");
        assertThat(listener.events).isEmpty();
    }

    // XEP-0124 §14.3 sends a broken request again; it goes before anything newer, for a connection
    // manager that sees a repeated rid after a newer one ends the session (Prosody) or holds it.
    @Test
    void aBrokenRequestGoesOutAgainBeforeAnythingNewer() throws Exception {
        Exchange held = established();
        held.breakConnection();
        session.send("<message id='after-the-cut'/>");
        Exchange first = http.next();
        assertThat(first.body()).isEqualTo(held.body());
        Exchange second = http.next();
        assertThat(second.rid()).isEqualTo(1002);
        assertThat(second.body()).contains("<message id='after-the-cut'/>");
    }

    @Test
    void aRequestGoesOutOnlyOnceTheOneBeforeIsWritten() throws Exception {
        Exchange held = established();
        http.slowWrites();
        session.send("<message id='one'/>");
        Exchange one = http.next();
        held.answer("<body " + NS + "/>");
        session.send("<message id='two'/>");
        http.assertNothingMore();
        one.write();
        assertThat(http.next().body()).contains("<message id='two'/>");
    }

    // XEP-0124 §14.3: "If the original response is not available ... the connection manager MUST
    // return an 'item-not-found'". A held request whose connection broke never had one; Prosody
    // answers its repeat so once a newer request came, and keeps the session.
    @Test
    void aRepeatWithNoResponseToSendAgainCountsAsAnsweredWithNothing() throws Exception {
        Exchange held = established();
        session.send("<message id='one'/>");
        Exchange carrying = http.next();
        held.breakConnection();
        Exchange again = http.next();
        assertThat(again.body()).isEqualTo(held.body());
        again.answer("<body " + NS + " type='terminate' condition='item-not-found'/>");
        carrying.answer("<body " + NS + "><message id='reply'/></body>");
        assertThat(listener.next()).isEqualTo("1002:message");
        assertThat(session.send("<message id='two'/>")).isTrue();
        Exchange next = http.next();
        assertThat(next.rid()).isEqualTo(1003);

        // The same condition for a request sent once does end the session.
        next.answer("<body " + NS + " type='terminate' condition='item-not-found'/>");
        assertThat(listener.next()).isEqualTo("1003:");
        assertThat(listener.next()).startsWith("ended:").endsWith("item-not-found");
    }

    // XEP-0124 §10: after 'inactivity' without requests "the connection manager SHOULD assume the
    // client has been disconnected and terminate the session".
    @Test
    void givesUpWhenTheManagerCannotHaveKeptTheSession() throws Exception {
        session.start();
        http.next().answer("<body " + NS + " sid='s1' requests='2' hold='1' inactivity='1'/>");
        listener.next();
        Exchange held = http.next();
        http.refuseAll();
        long start = System.nanoTime();
        held.breakConnection();
        assertThat(listener.next()).isEqualTo("ended:java.io.IOException: connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(http.posted).extracting(Exchange::body).containsOnly(held.body()).hasSizeGreaterThan(3);
        assertThat(session.send("<message/>")).isFalse();
    }

    // XEP-0124 §17.2: a terminal binding condition: "the HTTP session is terminated".
    @Test
    void aTerminalConditionEndsTheSessionAfterWhatItCarries() throws Exception {
        Exchange held = established();
        held.answer("<body " + NS + " type='terminate' condition='system-shutdown'><message id='last'/></body>");
        assertThat(listener.next()).isEqualTo("1001:message");
        assertThat(listener.next()).isEqualTo("ended:im.parley.sdk.BoshSession$BoshTerminatedException: "
                + "the server ended the BOSH session: system-shutdown");
        assertThat(session.send("<message/>")).isFalse();
        http.assertNothingMore();
    }

    // XEP-0124 §17.1: the deprecated HTTP conditions are terminal; an intermediary's error is not.
    @Test
    void httpNotFoundEndsTheSessionButABadGatewayIsRetried() throws Exception {
        Exchange held = established();
        held.answerStatus(502);
        Exchange again = http.next();
        assertThat(again.body()).isEqualTo(held.body());
        again.answerStatus(404);
        assertThat(listener.next()).contains("item-not-found (HTTP 404)");
    }

    // XEP-0124 §17.3: "the client MUST repeat the HTTP request that resulted in the error, as well
    // as all the preceding HTTP requests that have not received responses".
    @Test
    void aRecoverableErrorSendsThatRequestAndTheUnansweredOnesBeforeItAgain() throws Exception {
        Exchange held = established();
        session.send("<message id='one'/>");
        Exchange carrying = http.next();
        carrying.answer("<body " + NS + " type='error'/>");
        List<String> again = List.of(http.next().body(), http.next().body());
        assertThat(again).containsExactlyInAnyOrder(held.body(), carrying.body());
        assertThat(held.reply().isCancelled()).isTrue();
    }

    // XEP-0124 §13: "The termination request MAY include one or more payloads".
    @Test
    void terminateCarriesWhatIsQueuedAndEndsQuietly() throws Exception {
        Exchange held = established();
        session.send("<message id='one'/>");
        Exchange carrying = http.next();
        session.send("<presence type='unavailable'/>");
        CompletableFuture<Void> done = session.terminate();
        assertThat(session.send("<message id='too-late'/>")).isFalse();
        http.assertNothingMore();

        held.answer("<body " + NS + "/>");
        Exchange terminate = http.next();
        assertThat(terminate.body()).contains("type='terminate'", "<presence type='unavailable'/>");
        carrying.answer("<body " + NS + "/>");
        assertThat(done).isNotDone();
        terminate.answer("<body " + NS + " type='terminate'/>");
        done.get(5, TimeUnit.SECONDS);
        assertThat(listener.drain()).containsExactly("1001:", "1002:", "1003:", "ended:null");
    }

    // XEP-0124 §13: "Upon receiving the response, the client MUST consider the HTTP session to have
    // been terminated", even one that is not a terminate body (queued output answered it first).
    @Test
    void anyResponseToTheTerminateRequestEndsTheSession() throws Exception {
        Exchange held = established();
        CompletableFuture<Void> done = session.terminate();
        Exchange terminate = http.next();
        assertThat(terminate.body()).contains("type='terminate'");
        terminate.answer("<body " + NS + "><presence type='unavailable'/></body>");
        held.answer("<body " + NS + "/>");
        done.get(5, TimeUnit.SECONDS);
        assertThat(listener.drain()).containsExactly("1001:", "1002:presence", "ended:null");
        http.assertNothingMore();
    }

    // XEP-0206 §5: the restart request "MUST be empty".
    @Test
    void theStreamRestartIsAnEmptyBodyOfItsOwn() throws Exception {
        Exchange held = established();
        session.send("<auth/>");
        Exchange auth = http.next();
        session.restart();
        session.send("<iq id='bind'/>");
        held.answer("<body " + NS + "/>");
        Exchange restart = http.next();
        assertThat(restart.body()).contains("xmpp:restart='true'", "to='example.org'").endsWith("/>");
        auth.answer("<body " + NS + "/>");
        assertThat(http.next().body()).contains("<iq id='bind'/>");
    }

    @Test
    void abortCancelsEverythingAndTellsNobody() throws Exception {
        Exchange held = established();
        session.abort();
        assertThat(held.reply().isCancelled()).isTrue();
        assertThat(session.send("<message/>")).isFalse();
        assertThat(session.terminate()).isDone();
        http.assertNothingMore();
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aSessionThatCannotBeCreatedEndsAtOnce() throws Exception {
        session.start();
        http.next().breakConnection();
        assertThat(listener.next()).isEqualTo("ended:java.io.IOException: connection reset");
        http.assertNothingMore();
    }

    // XEP-0124 §12: a polling session (hold 0) must not send empty requests more often than 'polling'.
    @Test
    void aPollingSessionSpacesItsEmptyRequests() throws Exception {
        session.start();
        http.next().answer("<body " + NS + " sid='s1' requests='1' hold='0' polling='1'/>");
        listener.next();
        Exchange poll = http.next();
        poll.answer("<body " + NS + "/>");
        long answered = System.nanoTime();
        Exchange next = http.next();
        assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThan(Duration.ofMillis(900));
        assertThat(next.rid()).isEqualTo(1002);
    }

    /** Creates the session; returns the empty request the manager now holds (rid 1001). */
    private Exchange established() throws InterruptedException {
        session.start();
        http.next().answer("<body " + NS + " sid='s1' requests='2' hold='1' inactivity='60'/>");
        assertThat(listener.next()).isEqualTo("1000:");
        return http.next();
    }

    /** One POST: its body, the reply the test gives it, and the signal that its body was written. */
    record Exchange(String body, CompletableFuture<BoshHttp.Reply> reply, Runnable written) {
        private static final Pattern RID = Pattern.compile("rid='(\\d+)'");

        long rid() {
            Matcher matcher = RID.matcher(body);
            assertThat(matcher.find()).isTrue();
            return Long.parseLong(matcher.group(1));
        }

        void answer(String xml) {
            reply.complete(new BoshHttp.Reply(200, xml));
        }

        void answerStatus(int status) {
            reply.complete(new BoshHttp.Reply(status, "<html/>"));
        }

        void breakConnection() {
            reply.completeExceptionally(new IOException("connection reset"));
        }

        void write() {
            written.run();
        }
    }

    /** A connection manager played by the test. */
    static final class ScriptedHttp implements BoshHttp {
        final BlockingQueue<Exchange> posted = new LinkedBlockingQueue<>();
        private volatile boolean refusing;
        private volatile boolean slowWrites;

        @Override
        public CompletableFuture<Reply> post(String body, Duration timeout, Runnable written) {
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            posted.add(new Exchange(body, reply, written));
            if (refusing) {
                reply.completeExceptionally(new IOException("connection refused"));
            } else if (!slowWrites) {
                written.run();
            }
            return reply;
        }

        /** From now on a body counts as written only once the test says so ({@link Exchange#write()}). */
        void slowWrites() {
            slowWrites = true;
        }

        /** From now on every request fails at once, as if the manager were unreachable. */
        void refuseAll() {
            refusing = true;
        }

        Exchange next() throws InterruptedException {
            Exchange exchange = posted.poll(5, TimeUnit.SECONDS);
            assertThat(exchange).as("a request within 5 s").isNotNull();
            return exchange;
        }

        /** Requests go out on the caller's thread, so what a call sends has been posted when it returns. */
        void assertNothingMore() {
            assertThat(posted).isEmpty();
        }
    }

    /** What the listener heard: "rid:first payload's name" per response, "ended:cause" at the end. */
    static final class Recorder implements BoshSession.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void received(BoshResponse response) throws Exception {
            XmlPullParser parser = response.parser();
            String first = parser.next() == XmlPullParser.Event.START_ELEMENT ? parser.getName() : "";
            events.add(response.rid() + ":" + first);
        }

        @Override
        public void ended(Exception cause) {
            events.add("ended:" + cause);
        }

        String next() throws InterruptedException {
            String event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event within 5 s").isNotNull();
            return event;
        }

        List<String> drain() throws InterruptedException {
            List<String> all = new ArrayList<>();
            String event;
            while ((event = events.poll(1, TimeUnit.SECONDS)) != null) {
                all.add(event);
                if (event.startsWith("ended:")) {
                    break;
                }
            }
            return all;
        }
    }
}
