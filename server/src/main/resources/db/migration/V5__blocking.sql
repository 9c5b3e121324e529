-- Blocking command (XEP-0191): the JIDs an account blocks, in their string form (full, bare
-- or domain JIDs, matched as XEP-0191 §6 "JID Matching" says).
CREATE TABLE blocked_jids (
    domain      VARCHAR(1023) NOT NULL,
    username    VARCHAR(1023) NOT NULL,
    blocked_jid VARCHAR(3071) NOT NULL,
    PRIMARY KEY (domain, username, blocked_jid),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
