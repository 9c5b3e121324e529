-- Last Activity (XEP-0012 §3): when each account last logged out and the status text of its
-- last unavailable presence. The time is epoch milliseconds (UTC) so H2 and PostgreSQL agree
-- without time-zone conversions; the row goes with its account.
CREATE TABLE last_activity (
    domain     VARCHAR(1023) NOT NULL,
    username   VARCHAR(1023) NOT NULL,
    logout_at  BIGINT        NOT NULL,
    status     VARCHAR(1024),
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
