package im.parley.server.modules.upload;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.XmppModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;

/**
 * HTTP File Upload (XEP-0363) on a component host of each hosted domain ({@code upload.<domain>}):
 * slot requests over XMPP ({@link SlotRequests}), the PUT and GET of the files on the server's
 * HTTP listeners ({@link UploadHttp}), the files in {@code <data_dir>/upload} behind a
 * {@link FileStore}, expired files and the files of deleted accounts purged hourly
 * ({@link UploadPurge}).
 */
public final class UploadModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:http:upload:0";
    /** Where the listeners serve the files: {@code /upload/<service domain>/<token>/<file name>}. */
    static final String HTTP_PREFIX = "/upload/";
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    static final OptionSection SECTION = new OptionSection("upload", "HTTP File Upload (XEP-0363): a service on "
            + "`<subdomain>.<domain>` for each hosted domain, with the files served on the HTTP listeners.");
    public static final ModuleOption<String> SUBDOMAIN = SECTION.option("subdomain", ValueType.STRING, "upload",
            "The upload service's domain is this label before each hosted domain: `upload.example.org`.");
    public static final ModuleOption<Integer> MAX_FILE_SIZE = SECTION.option("max_file_size", ValueType.POSITIVE,
            100 * 1024 * 1024, "Largest file a user may upload, in bytes (announced as `max-file-size`).");
    public static final ModuleOption<Integer> QUOTA = SECTION.option("quota", ValueType.POSITIVE,
            1024 * 1024 * 1024, "Most bytes one user's files (and unused slots) may take at once.");
    public static final ModuleOption<Duration> SLOT_TIMEOUT = SECTION.option("slot_timeout", ValueType.DURATION,
            Duration.ofMinutes(5), "How long a slot waits for its upload to start; unused, it is dropped.");
    public static final ModuleOption<Duration> EXPIRY = SECTION.option("expiry", ValueType.DURATION,
            Duration.ofDays(30), "How long an uploaded file is kept (purged every hour after that).");
    public static final ModuleOption<String> PUBLIC_URL = SECTION.option("public_url", ValueType.OPTIONAL_STRING,
            null, "Base URL of the files behind a reverse proxy (`https://files.example.org`); null: the HTTPS "
                    + "listener's address, else the HTTP listener's.");
    public static final ModuleOption<List<String>> CORS_ORIGINS = SECTION.option("cors_origins", ValueType.ORIGINS,
            List.of("*"), "Web origins whose pages may upload and download (CORS); `*`: any (the URLs are secret).");

    private static final List<ModuleOption<?>> OPTIONS = List.of(SUBDOMAIN, MAX_FILE_SIZE, QUOTA, SLOT_TIMEOUT,
            EXPIRY, PUBLIC_URL, CORS_ORIGINS);

    private UploadPurge purge;

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return OPTIONS;
    }

    @Override
    public void load(ModuleContext context) {
        DomainBareJid service = context.componentDomain(SUBDOMAIN);
        ModuleContext serviceContext = context.addComponentHost(service);
        DataSource database = context.schema(this, "classpath:db/upload");
        UploadSettings settings = UploadSettings.of(context);
        Slots slots = new Slots(database, service.toString());
        FileStore files;
        try {
            files = new LocalFileStore(context.dataDir().resolve("upload").resolve(service.toString()));
            files.dropUnfinished();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the upload directory: " + e.getMessage(), e);
        }
        slots.dropUploading();
        UploadUrls urls = new UploadUrls(service, HTTP_PREFIX + service + "/", context.option(PUBLIC_URL));
        new SlotRequests(serviceContext, context.host().domain(), settings, slots, urls).register();
        context.handleHttp(urls.pathPrefix(), new UploadHttp(slots, files, settings, context.blocking(),
                context.clock()));
        context.onStarted(server -> urls.listening(server));
        purge = new UploadPurge(slots, files, settings, context.clock());
        // What expired while the server was down goes now; the rest hourly.
        purge.run();
        // On a thread of its own: the purge deletes rows and files, never on an event loop.
        PeriodicTask.every(context, "upload-purge-" + service, PURGE_INTERVAL, purge::run);
    }

    /** Purges now (tests; the server purges every hour): expired files and the files of deleted accounts. */
    int purge() {
        return purge.run();
    }
}
