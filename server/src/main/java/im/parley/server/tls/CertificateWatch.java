package im.parley.server.tls;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the certificates when a file in their directories changes, once the directories have
 * been quiet for a while: certbot swaps the links in {@code live/NAME/} one by one, and a deploy
 * hook copies the chain and then the key. A reload in the middle of that is harmless (a chain
 * without its key is refused and the old certificate stays), the quiet period only spares the log.
 * One thread of its own, blocked on the file system's notifications (inotify on Linux); never an
 * event loop.
 */
public final class CertificateWatch implements AutoCloseable {

    /** How long the directories must be quiet before the reload. */
    public static final Duration QUIET = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatch.class);

    private final WatchService watch;
    private final Supplier<Collection<Path>> directories;
    private final Duration quiet;
    private final Runnable reload;

    private CertificateWatch(WatchService watch, Supplier<Collection<Path>> directories, Duration quiet,
                             Runnable reload) {
        this.watch = watch;
        this.directories = directories;
        this.quiet = quiet;
        this.reload = reload;
    }

    /**
     * Watches {@code directories} (those that exist) and runs {@code reload} after a change.
     *
     * @throws IOException if the file system cannot watch them
     */
    public static CertificateWatch start(Supplier<Collection<Path>> directories, Duration quiet, Runnable reload)
            throws IOException {
        WatchService watch = FileSystems.getDefault().newWatchService();
        CertificateWatch watcher = new CertificateWatch(watch, directories, quiet, reload);
        try {
            watcher.register();
        } catch (IOException | RuntimeException e) {
            watch.close();
            throw e;
        }
        Thread thread = new Thread(watcher::run, "parley-certificate-watch");
        thread.setDaemon(true);
        thread.start();
        return watcher;
    }

    private void run() {
        boolean changed = false;
        try {
            while (true) {
                WatchKey key = changed ? watch.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) : watch.take();
                if (key == null) {
                    changed = false;
                    LOG.info("Certificate files changed: reading them again");
                    reloadAndWatchNewDirectories();
                    continue;
                }
                key.pollEvents();
                key.reset();
                changed = true;
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // close() ends the thread.
        }
    }

    /** A new certbot lineage is a new directory: watched from the reload that first reads it. */
    private void reloadAndWatchNewDirectories() {
        try {
            reload.run();
            register();
        } catch (IOException | RuntimeException e) {
            LOG.error("Certificate reload after a change failed; parley reload reads them again", e);
        }
    }

    /** Registering a directory twice is harmless: the watch service keeps one key per directory. */
    private void register() throws IOException {
        for (Path directory : directories.get()) {
            if (Files.isDirectory(directory)) {
                directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            LOG.debug("closing the certificate watch: {}", e.toString());
        }
    }
}
