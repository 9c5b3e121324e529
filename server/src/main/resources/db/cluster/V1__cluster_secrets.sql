-- Secrets the nodes of a cluster share (docs/operations.md, Clustering), by name: the dialback
-- secret (XEP-0185) unless federation.dialback_secret is configured. The first node that needs
-- one generates it and inserts it; a node that loses that race reads the winner's row. Only a
-- clustered server migrates this location, when federation first asks for the secret.
CREATE TABLE cluster_secrets (
    name   VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret VARCHAR(255) NOT NULL
);
