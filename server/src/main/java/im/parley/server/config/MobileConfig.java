package im.parley.server.config;

/**
 * Settings for clients on flaky links and sleeping devices (docs/mobile.md).
 *
 * @param streamManagement acknowledgements and resumption (XEP-0198)
 * @param clientState client state indication (XEP-0352)
 */
public record MobileConfig(StreamManagementConfig streamManagement, ClientStateConfig clientState) {

    public static MobileConfig defaults() {
        return new MobileConfig(StreamManagementConfig.defaults(), ClientStateConfig.defaults());
    }

    public MobileConfig withStreamManagement(StreamManagementConfig v) {
        return new MobileConfig(v, clientState);
    }

    public MobileConfig withClientState(ClientStateConfig v) {
        return new MobileConfig(streamManagement, v);
    }
}
