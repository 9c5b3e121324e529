/**
 * A real Parley, in-process, for the tests of applications that talk XMPP: {@link
 * im.parley.server.embedded.EmbeddedParley} starts one on free loopback ports in a few lines, and
 * {@link im.parley.server.embedded.ParleyExtension} does the same for JUnit 5 tests.
 */
package im.parley.server.embedded;
