package im.parley.server.module;

import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.ModuleSchemas;
import java.time.Clock;

/**
 * What the assembly gives modules beyond routing and storage: the configuration their options
 * are read from, the clock, the server's version, the c2s stream features they add to and their
 * schemas.
 */
public record ModuleEnvironment(ParleyConfig config, Clock clock, String serverVersion, C2sFeatures streamFeatures,
                                ModuleSchemas schemas) {
}
