package im.parley.s2s.dialback;

import java.util.concurrent.CompletableFuture;

/**
 * A {@code db:verify} this server (as receiving server) sent to an authoritative server and the
 * answer it waits for. The answer is matched by all of {@code from}, {@code to} and {@code id}
 * (XEP-0220 §2.1.2, §8.4): accepting a {@code type='valid'} that matches only some of them
 * is how dialback was spoofed in 2012.
 *
 * @param receiving our domain (the {@code from} of the request, the {@code to} of the answer)
 * @param authoritative the domain being verified (the {@code to} of the request)
 * @param streamId the id of the inbound stream the {@code db:result} came on
 * @param key the key to verify
 */
public record PendingVerification(String receiving, String authoritative, String streamId, String key,
                                  CompletableFuture<Boolean> answer) {

    public PendingVerification(String receiving, String authoritative, String streamId, String key) {
        this(receiving, authoritative, streamId, key, new CompletableFuture<>());
    }

    /** True if a {@code db:verify} answer from the authoritative server is the answer to this request. */
    public boolean isAnsweredBy(String from, String to, String id) {
        return authoritative.equalsIgnoreCase(nullToEmpty(from)) && receiving.equalsIgnoreCase(nullToEmpty(to))
                && streamId.equals(id);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
