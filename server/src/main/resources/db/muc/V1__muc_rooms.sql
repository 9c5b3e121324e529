-- Multi-User Chat (XEP-0045): the persistent rooms of each MUC service, their configuration
-- (§10.2) and subject, and the affiliations of users with them (§5.2). Temporary rooms live in
-- memory only. A room's row goes with its service's domain; affiliations go with their room.
CREATE TABLE muc_rooms (
    service         VARCHAR(1023) NOT NULL,
    room            VARCHAR(1023) NOT NULL,
    name            VARCHAR(1024) NOT NULL,
    description     VARCHAR(4096) NOT NULL,
    public_room     BOOLEAN       NOT NULL,
    members_only    BOOLEAN       NOT NULL,
    moderated       BOOLEAN       NOT NULL,
    password        VARCHAR(1024),
    whois           VARCHAR(16)   NOT NULL,
    max_users       INTEGER       NOT NULL,
    change_subject  BOOLEAN       NOT NULL,
    allow_invites   BOOLEAN       NOT NULL,
    history_length  INTEGER       NOT NULL,
    broadcast       VARCHAR(64)   NOT NULL,
    allow_pm        VARCHAR(16)   NOT NULL,
    subject         VARCHAR(4096),
    subject_nick    VARCHAR(1023),
    PRIMARY KEY (service, room)
);

CREATE TABLE muc_affiliations (
    service      VARCHAR(1023) NOT NULL,
    room         VARCHAR(1023) NOT NULL,
    jid          VARCHAR(3071) NOT NULL,
    affiliation  VARCHAR(16)   NOT NULL,
    PRIMARY KEY (service, room, jid),
    FOREIGN KEY (service, room) REFERENCES muc_rooms (service, room) ON DELETE CASCADE
);
