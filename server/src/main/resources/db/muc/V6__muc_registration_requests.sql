-- XEP-0045 §9.9: registrations with a members-only room that wait for an admin's approval (the
-- user and the nickname asked for). They go with their room, and with the decision.
CREATE TABLE muc_registration_requests (
    service  VARCHAR(1023) NOT NULL,
    room     VARCHAR(1023) NOT NULL,
    jid      VARCHAR(3071) NOT NULL,
    nick     VARCHAR(1023) NOT NULL,
    PRIMARY KEY (service, room, jid),
    FOREIGN KEY (service, room) REFERENCES muc_rooms (service, room) ON DELETE CASCADE
);
