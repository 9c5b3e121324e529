package im.parley.bench.soak;

/**
 * One reading of the server and the load during a soak. Heap figures are null when the server's
 * JVM could not be attached to.
 *
 * @param seconds          since the start of the load
 * @param rssMb            the server's resident set size (VmRSS)
 * @param rssOutsideHeapMb RSS less the resident pages of the Java heap ({@link HeapResidence}):
 *                         native memory
 * @param cpuPct           the server's CPU since the previous sample (100 = one core)
 * @param heapAfterGcMb    live heap after a forced full collection
 * @param heapCommittedMb  heap the JVM holds from the system
 * @param nonHeapMb        metaspace, code cache and the like
 * @param gcMs             pause of the forced collection
 * @param threads          the server's threads
 * @param fds              the server's open file descriptors (sockets, files)
 * @param online           logged-in sessions of the load
 * @param resuming         dropped sessions waiting to resume
 * @param sentPerS         stanzas the sessions sent per second since the previous sample
 * @param receivedPerS     stanzas they received per second
 * @param churnPerS        unauthenticated connections opened per second
 * @param errors           errors so far (authenticated load and unexpected churn answers)
 */
public record SoakSample(double seconds, double rssMb, Double rssOutsideHeapMb, double cpuPct, Double heapAfterGcMb, Double heapCommittedMb,
                         Double nonHeapMb, Long gcMs, Integer threads, int fds, int online, int resuming,
                         double sentPerS, double receivedPerS, double churnPerS, long errors) {
}
