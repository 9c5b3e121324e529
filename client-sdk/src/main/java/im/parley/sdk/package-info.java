/**
 * Parley's Java SDK for chat apps, on Smack 4.4: works with any standard XMPP server.
 *
 * <p>Start with {@link im.parley.sdk.ChatClient}: build one with a {@link im.parley.sdk.Transport}
 * and a {@link im.parley.sdk.Trust}, register listeners, {@code login()}, then
 * {@code send(...)}, {@code chat(...)}, {@code contacts()} and {@code setStatus(...)}. Addresses
 * are jxmpp's typed JIDs ({@code JidCreate.entityBareFromOrThrowUnchecked("bob@example.org")}).
 * Failures are {@link im.parley.sdk.ChatException}s.
 */
package im.parley.sdk;
