package im.parley.server.modules.upload;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the upload service no longer keeps: slots never used within
 * {@code upload.slot_timeout}, files older than {@code upload.expiry} (XEP-0363 §7: files are
 * kept "as long as possible", which the operator bounds), and files no slot names any more,
 * those of deleted accounts (their rows went with the account). Blocking: runs on a thread of
 * its own.
 */
final class UploadPurge {

    private static final Logger LOG = LoggerFactory.getLogger(UploadPurge.class);

    private final Slots slots;
    private final FileStore files;
    private final UploadSettings settings;
    private final Clock clock;

    UploadPurge(Slots slots, FileStore files, UploadSettings settings, Clock clock) {
        this.slots = slots;
        this.files = files;
        this.settings = settings;
        this.clock = clock;
    }

    /** Returns how many slots and files went (slots never used have no file). */
    synchronized int run() {
        try {
            Instant now = clock.instant();
            List<String> expired = slots.expire(now.minus(settings.slotTimeout()), now.minus(settings.expiry()));
            for (String token : expired) {
                files.delete(token);
            }
            // Keys first, then the tokens: a file is only ever stored under a token that had a row first.
            Set<String> orphans = files.keys();
            orphans.removeAll(slots.tokens());
            for (String orphan : orphans) {
                files.delete(orphan);
            }
            int gone = expired.size() + orphans.size();
            if (gone > 0) {
                LOG.info("upload: {} expired slots and files, {} files of deleted accounts deleted", expired.size(),
                        orphans.size());
            }
            return gone;
        } catch (IOException | RuntimeException e) {
            LOG.warn("upload: cannot purge old files", e);
            return 0;
        }
    }
}
