package im.parley.bench.soak;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The server's JVM seen through JMX: the soak attaches to it by process id (the Attach API,
 * which starts the JVM's local-only management agent) and needs no flag on the server's command
 * line, so the server runs exactly as {@code bin/parley} starts it.
 *
 * <p>The heap is read after a full collection that the soak forces ({@code System.gc()} through
 * the memory bean, which G1 runs as a stop-the-world full GC unless
 * {@code -XX:+ExplicitGCInvokesConcurrent}): what remains is the live set, so a reading does not
 * depend on when the last young collection happened to run.
 */
final class ServerJvm implements AutoCloseable {
    private static final ObjectName DIAGNOSTIC_COMMAND = objectName("com.sun.management:type=DiagnosticCommand");

    private final JMXConnector connector;
    private final MBeanServerConnection connection;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;
    private final List<GarbageCollectorMXBean> collectors;
    private final Set<String> heapPools;

    private ServerJvm(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        this.threads = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        this.collectors = ManagementFactory.getPlatformMXBeans(connection, GarbageCollectorMXBean.class);
        this.heapPools = ManagementFactory.getPlatformMXBeans(connection, MemoryPoolMXBean.class).stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
    }

    /** Attaches to the JVM of process {@code pid} (same user, same JDK). */
    static ServerJvm attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to process " + pid + ": " + e.getMessage(), e);
        }
        return new ServerJvm(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    /**
     * One reading after a forced full collection.
     *
     * @param heapAfterGcBytes heap in use right after the collection: the live set
     * @param heapCommittedBytes heap the JVM holds from the system
     * @param nonHeapBytes metaspace, code cache and the like
     * @param gcMillis how long the forced collection paused the server
     * @param threads live threads
     */
    record HeapReading(long heapAfterGcBytes, long heapCommittedBytes, long nonHeapBytes, long gcMillis,
                       int threads) {
    }

    HeapReading collectAndRead() throws IOException {
        memory.gc();
        GcInfo last = null;
        for (GarbageCollectorMXBean collector : collectors) {
            GcInfo info = collector.getLastGcInfo();
            if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
                last = info;
            }
        }
        long afterGc = last == null ? memory.getHeapMemoryUsage().getUsed()
                : last.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed()).sum();
        return new HeapReading(afterGc, memory.getHeapMemoryUsage().getCommitted(),
                memory.getNonHeapMemoryUsage().getUsed(), last == null ? 0 : last.getDuration(),
                threads.getThreadCount());
    }

    /** {@code GC.heap_info}: the heap's size, use and address range. */
    String heapInfo() throws IOException {
        return diagnostic("gcHeapInfo", "GC.heap_info");
    }

    /** {@code GC.class_histogram}: live objects per class, after a full collection. */
    String classHistogram() throws IOException {
        return diagnostic("gcClassHistogram", "GC.class_histogram");
    }

    /** Runs a diagnostic command (as {@code jcmd} names it: {@code command}) without arguments. */
    private String diagnostic(String operation, String command) throws IOException {
        try {
            return (String) connection.invoke(DIAGNOSTIC_COMMAND, operation,
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException(command + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the server may be gone already; nothing to release on this side
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (JMException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
