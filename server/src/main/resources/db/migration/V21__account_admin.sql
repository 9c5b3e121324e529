-- Service administration (XEP-0133): an account an administrator disabled cannot log in until
-- re-enabled (§4.3, §4.4); its data stays. The message of the day of each hosted domain (§4.24)
-- with the time it last changed (epoch milliseconds), and for each account the change it was
-- last sent, so that each user gets a new message once, at the next login after it changed.
ALTER TABLE accounts ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE motd (
    domain     VARCHAR(1023) NOT NULL PRIMARY KEY,
    body       TEXT          NOT NULL,
    changed_at BIGINT        NOT NULL
);

CREATE TABLE motd_seen (
    domain     VARCHAR(1023) NOT NULL,
    username   VARCHAR(1023) NOT NULL,
    changed_at BIGINT        NOT NULL,
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
