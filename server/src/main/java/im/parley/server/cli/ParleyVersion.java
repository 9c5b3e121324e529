package im.parley.server.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ({@code Implementation-Version}), or "development" when run from classes. */
final class ParleyVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ParleyVersion.class.getPackage().getImplementationVersion();
        return new String[] {"Parley " + (version != null ? version : "development build")};
    }
}
