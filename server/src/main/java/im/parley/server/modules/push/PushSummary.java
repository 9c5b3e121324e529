package im.parley.server.modules.push;

/**
 * What a notification tells the app server (XEP-0357 §7, summary form): how many messages wait
 * and the last one's sender and body; sender and body are null when withheld for privacy.
 */
record PushSummary(int messageCount, String lastSender, String lastBody) {
}
