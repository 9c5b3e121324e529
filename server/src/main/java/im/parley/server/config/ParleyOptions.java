package im.parley.server.config;

import im.parley.core.tls.TlsProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The core's options (listeners, TLS, limits, storage, federation, which modules run), in the
 * order the documentation lists them. Each option says how it is read into
 * {@link ParleyConfig}; its default is the value in {@link ParleyConfig#defaults()}. Feature
 * modules declare their own options ({@link ModuleOption}); {@link ConfigSchema} puts both together.
 */
final class ParleyOptions {

    /** Sections and the one-line description the documentation gives each, in order. */
    static final Map<String, String> SECTIONS = sections();

    static final List<ConfigOption<?>> ALL = options();

    private ParleyOptions() {
    }

    private static Map<String, String> sections() {
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("", "Domains and files.");
        sections.put("c2s", "Client connections with STARTTLS (RFC 6120 §5), usually port 5222.");
        sections.put("direct_tls", "Client connections with TLS from the first byte (XEP-0368), usually port 5223.");
        sections.put("s2s", "Server-to-server federation (RFC 6120), usually port 5269.");
        sections.put("s2s_direct_tls", "Server-to-server connections with TLS from the first byte (XEP-0368), usually port 5270.");
        sections.put("federation", "Federation policy: routes, certificates, dialback, timeouts (see docs/federation.md).");
        sections.put("http", "HTTP listener for BOSH (XEP-0124/XEP-0206), WebSocket (RFC 7395), file upload, `/health` and "
                + "metrics, usually port 5280; on by default on loopback, where a client that connects straight to it "
                + "counts as secure (see docs/http.md).");
        sections.put("https", "HTTPS listener for BOSH and WebSocket over TLS (`wss:`), usually port 5443; "
                + "it presents the certificate of the domain the client names (SNI).");
        sections.put("bosh", "BOSH sessions (XEP-0124 §7.1): the most the server grants a client.");
        sections.put("tls", "TLS. Each host (hosted domain or service domain) presents its own certificate, else "
                + "one that names it, else (a hosted domain) a self-signed certificate generated on first start and "
                + "kept in `data_dir`; `parley reload`, SIGHUP or a change of the files reads them again (see "
                + "docs/deployment.md).");
        sections.put("limits", "Limits that keep bad or hostile input bounded.");
        sections.put("storage", "Database. Without `jdbc_url` Parley uses an embedded H2 database, `<data_dir>/parley.mv.db`, "
                + "that only the server process opens (no H2 server, no port); `parley adduser` and friends reach a "
                + "running server through its admin socket, `<data_dir>/admin.sock` (see docs/security.md).");
        ComponentOptions.sections(sections);
        ClusterOptions.section(sections);
        sections.put("modules", "Which feature modules run. Every module Parley finds on its class path runs unless listed "
                + "here; a module's options live in its own section below (see docs/architecture.md).");
        sections.put("shutdown", "Stopping the server (SIGTERM, Ctrl-C): clients get `system-shutdown`, then everything "
                + "closes, within a bound (see docs/security.md).");
        return Collections.unmodifiableMap(sections);
    }

    private static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(new ConfigOption<>("domains", ValueType.DOMAINS,
                "The XMPP domains this server hosts (RFC 7622 §3.2).",
                ParleyConfig::domains, ParleyConfig::withDomains));
        all.add(new ConfigOption<>("data_dir", ValueType.PATH,
                "Directory for the embedded database, generated certificates and secrets, and the admin socket; "
                        + "relative to the working directory. Created 0700, every file in it 0600 (see docs/security.md).",
                ParleyConfig::dataDir, ParleyConfig::withDataDir));
        all.add(ServerAdmins.option());
        listener(all, "c2s", ParleyConfig::c2s, ParleyConfig::withC2s);
        listener(all, "direct_tls", ParleyConfig::directTls, ParleyConfig::withDirectTls);
        listener(all, "s2s", ParleyConfig::s2s, ParleyConfig::withS2s);
        listener(all, "s2s_direct_tls", c -> c.federation().directTls(),
                (c, l) -> c.withFederation(c.federation().withDirectTls(l)));
        FederationOptions.declare(all);
        listener(all, "http", ParleyConfig::http, ParleyConfig::withHttp);
        listener(all, "https", c -> c.web().https(), (c, l) -> c.withWeb(c.web().withHttps(l)));
        HttpOptions.declare(all);
        all.add(new ConfigOption<>("tls.starttls_required", ValueType.BOOLEAN,
                "Clients must negotiate STARTTLS before authenticating (RFC 6120 §5.3.1).",
                c -> c.tls().starttlsRequired(),
                (c, v) -> c.withTls(c.tls().withStarttlsRequired(v))));
        all.add(new ConfigOption<>("tls.certificates", ValueType.CERTIFICATES,
                "PEM certificate chain and private key per host: a hosted domain or a service domain of one "
                        + "(`upload.example.org`); a host without an entry presents a certificate of this list or of "
                        + "`certificates_dir` that names it (subjectAltName, `*.example.org` too). `parley reload` "
                        + "reads the files again.",
                "{\"example.org\": {certificate: \"/etc/letsencrypt/live/example.org/fullchain.pem\", "
                        + "private_key: \"/etc/letsencrypt/live/example.org/privkey.pem\"}}",
                c -> c.tls().certificates(),
                (c, v) -> c.withTls(c.tls().withCertificates(v))));
        all.add(new ConfigOption<>("tls.certificates_dir", ValueType.OPTIONAL_PATH,
                "Directory of certificates, each used for the hosts its subjectAltNames name: `NAME.crt` with "
                        + "`NAME.key` (Prosody's layout), `NAME/fullchain.pem` with `NAME/privkey.pem` (certbot's "
                        + "`live` directory), also under `live/`; null: none. `parley reload` reads it again.",
                c -> c.tls().certificatesDirectory(),
                (c, v) -> c.withTls(c.tls().withCertificatesDirectory(v))));
        all.add(new ConfigOption<>("tls.watch", ValueType.BOOLEAN,
                "Read the certificates again when files in their directories change (a renewal), as `parley "
                        + "reload` does, once they have been quiet for 2s; a file that cannot be used is refused.",
                c -> c.tls().watch(),
                (c, v) -> c.withTls(c.tls().withWatch(v))));
        all.add(new ConfigOption<>("tls.provider", ValueType.oneOf(TlsProvider.class),
                "TLS implementation for client connections (c2s, direct TLS, HTTPS): `openssl` (BoringSSL via "
                        + "netty-tcnative: cheaper handshakes, less memory per connection, no `tls-exporter` "
                        + "channel binding), `jdk` (JSSE; offers `tls-exporter` on Java 25+) or `auto` "
                        + "(openssl when its native library loads, else jdk).",
                c -> c.tls().provider(),
                (c, v) -> c.withTls(c.tls().withProvider(v))));
        limits(all);
        StorageOptions.declare(all);
        ClusterOptions.declare(all);
        ComponentOptions.declare(all, ParleyOptions::listener);
        all.add(new ConfigOption<>("modules.disabled", ValueType.MODULE_NAMES,
                "Modules that do not run, by name (e.g. `[\"vcard\", \"push\"]`); a module another one needs cannot be "
                        + "disabled alone.",
                c -> c.modules().disabled(), (c, v) -> c.withModules(c.modules().withDisabled(v))));
        all.add(new ConfigOption<>("modules.disabled_on", ValueType.MODULE_NAMES_BY_DOMAIN,
                "Modules that do not run on one hosted domain, by domain (e.g. `{\"guests.example.org\": "
                        + "[\"register\"]}`), besides those of `modules.disabled`; each hosted domain runs its own "
                        + "instance of every other module.",
                "{\"example.org\": [\"vcard\"]}",
                c -> c.modules().disabledOn(), (c, v) -> c.withModules(c.modules().withDisabledOn(v))));
        all.add(new ConfigOption<>("shutdown.timeout", ValueType.DURATION,
                "The longest a stop may take, even with a stuck event loop or a hung step; then the process halts.",
                ParleyConfig::shutdownTimeout, ParleyConfig::withShutdownTimeout));
        return List.copyOf(all);
    }

    private static void listener(List<ConfigOption<?>> all, String section,
                                 Function<ParleyConfig, ListenerConfig> get,
                                 BiFunction<ParleyConfig, ListenerConfig, ParleyConfig> set) {
        all.add(new ConfigOption<>(section + ".enabled", ValueType.BOOLEAN,
                "Whether the listener is started.",
                c -> get.apply(c).enabled(),
                (c, v) -> set.apply(c, new ListenerConfig(v, get.apply(c).address(), get.apply(c).port()))));
        all.add(new ConfigOption<>(section + ".address", ValueType.STRING,
                "Address to bind; `0.0.0.0` or `::` for every interface.",
                c -> get.apply(c).address(),
                (c, v) -> set.apply(c, get.apply(c).withAddress(v))));
        all.add(new ConfigOption<>(section + ".port", ValueType.PORT,
                "TCP port; 0 picks a free port.",
                c -> get.apply(c).port(),
                (c, v) -> set.apply(c, get.apply(c).withPort(v))));
    }

    private static void limits(List<ConfigOption<?>> all) {
        all.add(new ConfigOption<>("limits.max_stanza_size_before_auth", ValueType.POSITIVE,
                "Largest top-level element in bytes before authentication (RFC 6120 §13.12).",
                c -> c.limits().maxStanzaSizeBeforeAuth(),
                (c, v) -> limits(c, c.limits().withMaxStanzaSizeBeforeAuth(v))));
        all.add(new ConfigOption<>("limits.max_stanza_size", ValueType.POSITIVE,
                "Largest top-level element in bytes after authentication; larger gets `policy-violation`.",
                c -> c.limits().maxStanzaSize(),
                (c, v) -> limits(c, c.limits().withMaxStanzaSize(v))));
        all.add(new ConfigOption<>("limits.max_depth", ValueType.POSITIVE,
                "Deepest element nesting inside one stanza.",
                c -> c.limits().maxDepth(),
                (c, v) -> limits(c, c.limits().withMaxDepth(v))));
        all.add(new ConfigOption<>("limits.negotiation_timeout", ValueType.DURATION,
                "A stream not authenticated and bound by then gets `connection-timeout`.",
                c -> c.limits().negotiationTimeout(),
                (c, v) -> limits(c, c.limits().withNegotiationTimeout(v))));
        all.add(new ConfigOption<>("limits.max_auth_failures", ValueType.POSITIVE,
                "Failed SASL attempts allowed per client address within `auth_failure_window`.",
                c -> c.limits().maxAuthFailures(),
                (c, v) -> limits(c, c.limits().withMaxAuthFailures(v))));
        all.add(new ConfigOption<>("limits.auth_failure_window", ValueType.DURATION,
                "The window for `max_auth_failures`.",
                c -> c.limits().authFailureWindow(),
                (c, v) -> limits(c, c.limits().withAuthFailureWindow(v))));
        all.add(new ConfigOption<>("limits.idle_parser_release", ValueType.DURATION,
                "A client TCP stream that has sent nothing for this long gives back its XML parser's memory "
                        + "(a few KB); the parser is rebuilt when bytes arrive.",
                c -> c.limits().idleParserRelease(),
                (c, v) -> limits(c, c.limits().withIdleParserRelease(v))));
        inputLimits(all);
    }

    private static void inputLimits(List<ConfigOption<?>> all) {
        ValueType<Integer> rate = ValueType.integer(0, Integer.MAX_VALUE);
        input(all, "max_attributes", ValueType.POSITIVE,
                "Most attributes on one element, namespace declarations included; more gets `policy-violation`.",
                InputLimits::maxAttributes, InputLimits::withMaxAttributes);
        input(all, "max_namespace_declarations", ValueType.POSITIVE,
                "Most namespace declarations in one stanza; more gets `policy-violation`.",
                InputLimits::maxNamespaceDeclarations, InputLimits::withMaxNamespaceDeclarations);
        input(all, "max_names", ValueType.POSITIVE,
                "Most distinct element names, attribute names and prefixes in one stanza (more gets "
                        + "`policy-violation`); a stream's parser that has learnt more is rebuilt between stanzas.",
                InputLimits::maxNames, InputLimits::withMaxNames);
        input(all, "c2s_read_rate", rate,
                "Bytes per second read from one client connection (TCP or WebSocket); faster senders are "
                        + "paused, not disconnected. 0: no limit.",
                i -> i.c2sRead().bytesPerSecond(), (i, v) -> i.withC2sRead(i.c2sRead().withBytesPerSecond(v)));
        input(all, "c2s_read_burst", ValueType.POSITIVE,
                "Bytes a client connection may send at once after a quiet spell, before `c2s_read_rate` applies.",
                i -> i.c2sRead().burstBytes(), (i, v) -> i.withC2sRead(i.c2sRead().withBurstBytes(v)));
        input(all, "s2s_read_rate", rate,
                "Bytes per second read from one server-to-server connection, either direction. 0: no limit.",
                i -> i.s2sRead().bytesPerSecond(), (i, v) -> i.withS2sRead(i.s2sRead().withBytesPerSecond(v)));
        input(all, "s2s_read_burst", ValueType.POSITIVE,
                "Bytes a server-to-server connection may send at once after a quiet spell, before `s2s_read_rate` applies.",
                i -> i.s2sRead().burstBytes(), (i, v) -> i.withS2sRead(i.s2sRead().withBurstBytes(v)));
    }

    private static void input(List<ConfigOption<?>> all, String name, ValueType<Integer> type, String doc,
                              Function<InputLimits, Integer> get, BiFunction<InputLimits, Integer, InputLimits> set) {
        all.add(new ConfigOption<>("limits." + name, type, doc, c -> get.apply(c.limits().input()),
                (c, v) -> limits(c, c.limits().withInput(set.apply(c.limits().input(), v)))));
    }

    private static ParleyConfig limits(ParleyConfig c, LimitsConfig limits) {
        return c.withLimits(limits);
    }
}
