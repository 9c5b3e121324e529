package im.parley.server.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.map.IMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.topic.ITopic;
import im.parley.server.config.ClusterOptions;
import im.parley.server.config.ParleyConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a member of a Parley cluster: a Hazelcast member that finds its peers by the
 * configured list ({@code cluster.members}, TCP-IP join; multicast and auto-detection off), and
 * the one thread all its writes to the cluster go through ({@link #send}). Hazelcast calls may
 * wait for another member; that thread keeps them off the event loops, and, being one, keeps
 * them in the order they were made (route changes, then the stanzas that follow them; RFC 6120
 * §10.1 in-order processing between two nodes).
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration MIN_FAILURE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The member attribute with the node's id: Hazelcast gives a member a new UUID when it merges
     * into the cluster it was split from, the routes and room homes it shared name it by this id.
     */
    static final String NODE_ID = "parley.node";
    /** The shortest interval between two looks for a cluster this one was split from. */
    private static final Duration MIN_MERGE_INTERVAL = Duration.ofSeconds(5);

    private final String localId;

    private final HazelcastInstance hazelcast;
    private final ExecutorService outbox = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-cluster-outbox");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The ids of the members now, kept from the membership events: {@link #isMember} is asked for
     * every stanza to a room, where walking Hazelcast's member list each time would cost.
     */
    private final Set<String> memberIds = ConcurrentHashMap.newKeySet();
    /** False until the initial membership event (asynchronous after registering) filled {@link #memberIds}. */
    private volatile boolean membersKnown;
    /** Told of a membership change once {@link #memberIds} shows it. */
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

    private ClusterNode(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.localId = idOf(hazelcast.getCluster().getLocalMember());
        hazelcast.getCluster().addMembershipListener(new Members());
    }

    /** Starts the member and joins the peers that answer (or starts the cluster alone). Blocks. */
    public static ClusterNode start(ParleyConfig config) {
        return new ClusterNode(Hazelcast.newHazelcastInstance(hazelcastConfig(config)));
    }

    /**
     * Hazelcast's settings from the {@code cluster} options. The open-source edition has no member
     * authentication: the secret goes into the cluster name (hashed), so that a member without it
     * is refused at join, which keeps a misconfigured node out; the cluster port belongs on a
     * private network all the same.
     */
    static Config hazelcastConfig(ParleyConfig parley) {
        String address = parley.option(ClusterOptions.ADDRESS);
        int port = parley.option(ClusterOptions.PORT);
        Config config = new Config();
        config.setClusterName(parley.option(ClusterOptions.NAME) + "-"
                + secretHash(parley.option(ClusterOptions.NAME), parley.option(ClusterOptions.SECRET)));
        config.setInstanceName("parley-" + address + ":" + port);
        config.getMemberAttributeConfig().setAttribute(NODE_ID, UUID.randomUUID().toString());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(address);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(parley.option(ClusterOptions.MEMBERS_OPTION));
        Duration failure = parley.option(ClusterOptions.FAILURE_TIMEOUT);
        long failureSeconds = Math.max(MIN_FAILURE_TIMEOUT.toSeconds(), failure.toSeconds());
        config.setProperty("hazelcast.local.localAddress", address);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(failureSeconds));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        // A node taken for dead (a pause, a partition) looks for the cluster it was split from
        // this often, not after Hazelcast's 300 s and then every 120 s (docs/operations.md).
        String mergeSeconds = Long.toString(Math.max(MIN_MERGE_INTERVAL.toSeconds(), failureSeconds));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", mergeSeconds);
        config.setProperty("hazelcast.merge.next.run.delay.seconds", mergeSeconds);
        // The side that merges is the one the others took for gone: its routes and room homes
        // are those the cluster ended or claimed again meanwhile, and give way to the cluster's.
        String discard = DiscardMergePolicy.class.getName();
        config.getReplicatedMapConfig(ClusteredRouteTable.ROUTES).getMergePolicyConfig().setPolicy(discard);
        config.getMapConfig(ClusterHomes.HOMES).getMergePolicyConfig().setPolicy(discard);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Parley stops the member itself, after its sessions have ended (ParleyServer.close).
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        return config;
    }

    private static String secretHash(String name, String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((name + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** This node's id, as the other nodes know it; the same after a merge ({@link #NODE_ID}). */
    public String localId() {
        return localId;
    }

    /** A member's node id: its {@link #NODE_ID} attribute, or its UUID for a node of an earlier version. */
    static String idOf(Member member) {
        String id = member.getAttribute(NODE_ID);
        return id != null ? id : member.getUuid().toString();
    }

    /** Tells {@code listener} of this member's lifecycle (merging into the cluster it was split from, among others). */
    void onLifecycle(LifecycleListener listener) {
        hazelcast.getLifecycleService().addLifecycleListener(listener);
    }

    /**
     * Reads the members again after this node merged back into the cluster it was split from
     * (the membership events of the merge need not tell what it undid); returns their ids.
     */
    List<String> relearnMembers() {
        List<String> now = hazelcast.getCluster().getMembers().stream().map(ClusterNode::idOf).toList();
        memberIds.addAll(now);
        memberIds.retainAll(now);
        return now;
    }

    /** Milliseconds since the epoch on the cluster's clock, which every member shares. */
    long clusterTime() {
        return hazelcast.getCluster().getClusterTime();
    }

    /** How many members the cluster has now, this one included. */
    public int members() {
        return hazelcast.getCluster().getMembers().size();
    }

    /**
     * True if this member is the oldest of the cluster (the first of Hazelcast's member list,
     * the same on every member): the one that does once what the cluster must do once.
     */
    boolean isOldest() {
        Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
        return members.hasNext() && members.next().localMember();
    }

    /** Tells {@code listener} of the members that join and leave, once {@link #isMember} knows. */
    void onMembership(MembershipListener listener) {
        listeners.add(listener);
    }

    <K, V> ReplicatedMap<K, V> replicatedMap(String name) {
        return hazelcast.getReplicatedMap(name);
    }

    <K, V> IMap<K, V> map(String name) {
        return hazelcast.getMap(name);
    }

    /** True if the member with id {@code id} is in the cluster now (a set lookup: no walk over the members). */
    boolean isMember(String id) {
        return membersKnown ? memberIds.contains(id) : isMemberNow(id);
    }

    /** True if the member with id {@code id} is in Hazelcast's member list now (a walk over the members, no cache). */
    boolean isMemberNow(String id) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (idOf(member).equals(id)) {
                return true;
            }
        }
        return false;
    }

    <E> ITopic<E> topic(String name) {
        return hazelcast.getTopic(name);
    }

    /** Runs a write to the cluster on the outbox thread, after the writes asked for before it. */
    void send(Runnable write) {
        try {
            outbox.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    LOG.warn("a write to the cluster failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("the cluster is stopping; a write is dropped");
        }
    }

    /** Lets the writes asked for finish (the last sessions' route removals), then leaves the cluster. */
    @Override
    public void close() {
        outbox.shutdown();
        try {
            if (!outbox.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("writes to the cluster still running after {}; leaving anyway", DRAIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hazelcast.shutdown();
    }

    /**
     * Keeps {@link #memberIds}, then tells the listeners; runs on Hazelcast's event thread. The
     * initial event, which Hazelcast sends after the registration and before any change, gives
     * the members at that moment, so no change falls between reading them and listening.
     */
    private final class Members implements InitialMembershipListener {

        @Override
        public void init(InitialMembershipEvent event) {
            event.getMembers().forEach(member -> memberIds.add(idOf(member)));
            membersKnown = true;
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            memberIds.add(idOf(event.getMember()));
            listeners.forEach(listener -> listener.memberAdded(event));
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            memberIds.remove(idOf(event.getMember()));
            listeners.forEach(listener -> listener.memberRemoved(event));
        }
    }
}
