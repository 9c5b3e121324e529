-- Explicit subscriptions to PEP nodes (XEP-0060 §6.1, XEP-0163 §5: a PEP service supports
-- subscribe and unsubscribe), besides the implicit ones presence gives (XEP-0163 §4.1). One per
-- node and subscribed JID (bare or full, as the subscriber asked): no multi-subscribe (§6.1.6),
-- hence no SubID. Deleted with the node (and so with the owner's account); a local subscriber's
-- rows go when its account is deleted (PepSubscriptions).
CREATE TABLE pep_subscriptions (
    domain   VARCHAR(1023) NOT NULL,
    username VARCHAR(1023) NOT NULL,
    node     VARCHAR(1023) NOT NULL,
    jid      VARCHAR(3071) NOT NULL,
    PRIMARY KEY (domain, username, node, jid),
    FOREIGN KEY (domain, username, node) REFERENCES pep_nodes (domain, username, node) ON DELETE CASCADE
);

CREATE INDEX pep_subscriptions_subscriber ON pep_subscriptions (jid);
