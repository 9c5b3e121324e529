package im.parley.bench.soak;

/**
 * The authenticated load of a soak.
 *
 * @param users          accounts {@code <prefix>1..users}; those not logged in receive messages
 *                       into offline storage (XEP-0160)
 * @param online         sessions kept logged in (or being resumed) at any time
 * @param sessionSeconds mean life of a session; each lives between half and one and a half of it
 * @param loginRate      most logins started per second (the ramp at the start; then logins
 *                       follow the sessions' ends, about {@code online / sessionSeconds} per second)
 * @param chatRate       chat messages per second in all (RFC 6121 §5)
 * @param offlineShare   share of the messages addressed to users that are not logged in
 * @param presenceRate   status changes per second in all (RFC 6121 §4.4.2)
 * @param iqRate         roster gets and sets (RFC 6121 §2.1.3, §2.3), vCard sets and gets
 *                       (XEP-0054 §3) per second in all
 * @param smShare        share of the sessions that enable stream management with resumption
 *                       (XEP-0198); half of those end by losing their connection and resuming
 *                       (§5), a quarter by losing it for good, a quarter by logging out
 * @param resumeSeconds  how long a dropped session waits before it resumes
 * @param contacts       mutual contacts per user, subscribed before the soak (RFC 6121 §3); 0: none
 */
public record UserLoad(int users, int online, double sessionSeconds, double loginRate, double chatRate,
                       double offlineShare, double presenceRate, double iqRate, double smShare,
                       double resumeSeconds, int contacts) {

    public UserLoad {
        if (online >= users) {
            throw new IllegalArgumentException("online (" + online + ") must leave some of the " + users
                    + " users offline, for offline storage");
        }
    }
}
