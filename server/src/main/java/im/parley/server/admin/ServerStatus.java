package im.parley.server.admin;

import java.util.List;
import java.util.Map;

/**
 * What {@code parley status} shows of a running server, read through the admin socket.
 *
 * @param hosts the hosted domains, then the component hosts (e.g. {@code upload.example.org})
 * @param sessions bound client sessions by transport ({@code tcp}, {@code websocket}, {@code bosh})
 * @param s2sIn inbound server-to-server connections; -1 when federation is off
 * @param s2sOut outbound server-to-server streams; -1 when federation is off
 */
public record ServerStatus(String version, long uptimeSeconds, List<String> hosts, Map<String, Integer> sessions,
                           int s2sIn, int s2sOut, long heapUsedBytes, long heapMaxBytes) {
}
