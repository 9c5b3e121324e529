package im.parley.server.modules.muc;

/**
 * The service's limits (issue 14 item 5), from the module's options: exceeding one is a
 * stanza error with a text naming it, never silence.
 *
 * @param maxOccupants most occupants in one room (a room's {@code maxusers} is at most this)
 * @param historyLength most messages a room keeps for newcomers (a room's {@code maxhistoryfetch} is at most this)
 * @param roomsPerUser most rooms one user may own at once
 * @param messagesPerMinute most groupchat and private messages one occupant may send per minute
 * @param vcardMaxBytes the largest vCard (XML) an owner may give a room (XEP-0153 avatars)
 * @param registrationRequests most registrations one room keeps waiting for approval (XEP-0045 §9.9)
 */
record MucLimits(int maxOccupants, int historyLength, int roomsPerUser, int messagesPerMinute, int vcardMaxBytes,
                 int registrationRequests) {
}
