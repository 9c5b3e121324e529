-- Service administration (XEP-0133 §4.9): when each account last logged in, that is, last bound
-- a session (RFC 6120 §7), as epoch milliseconds (UTC) like the logouts of last_activity; the
-- row goes with its account.
CREATE TABLE last_login (
    domain    VARCHAR(1023) NOT NULL,
    username  VARCHAR(1023) NOT NULL,
    login_at  BIGINT        NOT NULL,
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
