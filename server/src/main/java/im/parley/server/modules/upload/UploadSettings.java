package im.parley.server.modules.upload;

import im.parley.server.module.ModuleContext;
import java.time.Duration;
import java.util.List;

/** The upload options, read once. */
record UploadSettings(long maxFileSize, long quota, Duration slotTimeout, Duration expiry, List<String> corsOrigins) {

    static UploadSettings of(ModuleContext context) {
        return new UploadSettings(context.option(UploadModule.MAX_FILE_SIZE), context.option(UploadModule.QUOTA),
                context.option(UploadModule.SLOT_TIMEOUT), context.option(UploadModule.EXPIRY),
                context.option(UploadModule.CORS_ORIGINS));
    }
}
