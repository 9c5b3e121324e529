-- Rosters (RFC 6121 §2) and presence subscriptions (RFC 6121 §3, Appendix A), per account.
-- roster_versions: the roster version of RFC 6121 §2.6, a counter raised on every change; its
-- row is also the lock that serialises changes to one account's roster.
-- roster_items: one contact per row with its subscription (none/to/from/both), the pending-out
-- "ask" flag and the pre-approval flag of §3.4. roster_groups: its groups.
-- roster_pending_in: inbound subscription requests not yet answered (the "pending in" half of
-- the state), with the most recent request stanza, redelivered at each login (§3.1.3).
CREATE TABLE roster_versions (
    domain         VARCHAR(1023) NOT NULL,
    username       VARCHAR(1023) NOT NULL,
    roster_version BIGINT        NOT NULL,
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);

CREATE TABLE roster_items (
    domain       VARCHAR(1023) NOT NULL,
    username     VARCHAR(1023) NOT NULL,
    contact      VARCHAR(3071) NOT NULL,
    item_name    VARCHAR(1023),
    subscription VARCHAR(4)    NOT NULL,
    pending_out  BOOLEAN       NOT NULL,
    approved     BOOLEAN       NOT NULL,
    PRIMARY KEY (domain, username, contact),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);

CREATE TABLE roster_groups (
    domain     VARCHAR(1023) NOT NULL,
    username   VARCHAR(1023) NOT NULL,
    contact    VARCHAR(3071) NOT NULL,
    group_name VARCHAR(1023) NOT NULL,
    PRIMARY KEY (domain, username, contact, group_name),
    FOREIGN KEY (domain, username, contact) REFERENCES roster_items (domain, username, contact) ON DELETE CASCADE
);

CREATE TABLE roster_pending_in (
    domain   VARCHAR(1023)   NOT NULL,
    username VARCHAR(1023)   NOT NULL,
    contact  VARCHAR(3071)   NOT NULL,
    stanza   VARCHAR(262144) NOT NULL,
    PRIMARY KEY (domain, username, contact),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
