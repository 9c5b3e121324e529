package im.parley.bench.client;

/**
 * Where one simulated client stands: the login steps of RFC 6120 §4.3 (stream, STARTTLS §5,
 * SASL §6, bind §7 or the resumption of XEP-0198 §5, the legacy session of RFC 3921 §3, the
 * roster get of RFC 6121 §2.1.3), then the steady state, then the end of the connection.
 */
enum ClientState { CONNECTING, STREAM, STARTTLS, SASL, BIND, RESUME, SESSION, ROSTER, READY, CLOSING, DONE }
