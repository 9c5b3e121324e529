package im.parley.server.config;

/**
 * One TCP listener: whether it is on, the address to bind and the port (0 picks a free port,
 * which tests use).
 */
public record ListenerConfig(boolean enabled, String address, int port) {

    public static ListenerConfig on(String address, int port) {
        return new ListenerConfig(true, address, port);
    }

    public static ListenerConfig off(String address, int port) {
        return new ListenerConfig(false, address, port);
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(enabled, address, newPort);
    }

    public ListenerConfig withAddress(String newAddress) {
        return new ListenerConfig(enabled, newAddress, port);
    }
}
