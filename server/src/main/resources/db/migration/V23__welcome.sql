-- Service administration (XEP-0133 §4.27, §4.28): the welcome message of each hosted domain, and
-- the accounts created while it was set that have not logged in since: each is sent the message
-- once, at its first login, and its row goes then (or with the account, or with the message).
CREATE TABLE welcome (
    domain VARCHAR(1023) NOT NULL PRIMARY KEY,
    body   TEXT          NOT NULL
);

CREATE TABLE welcome_pending (
    domain   VARCHAR(1023) NOT NULL,
    username VARCHAR(1023) NOT NULL,
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
