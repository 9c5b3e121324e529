-- Accounts keyed by their prepared domain and localpart (RFC 7622), and one SCRAM credential
-- per hash function (RFC 5802 §5.1). Binary values are stored as base64 text so the same SQL
-- runs unchanged on H2 and PostgreSQL.
CREATE TABLE accounts (
    domain     VARCHAR(1023) NOT NULL,
    username   VARCHAR(1023) NOT NULL,
    created_at TIMESTAMP     DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (domain, username)
);

CREATE TABLE account_credentials (
    domain     VARCHAR(1023) NOT NULL,
    username   VARCHAR(1023) NOT NULL,
    hash_name  VARCHAR(32)   NOT NULL,
    salt       VARCHAR(256)  NOT NULL,
    iterations INTEGER       NOT NULL,
    stored_key VARCHAR(256)  NOT NULL,
    server_key VARCHAR(256)  NOT NULL,
    PRIMARY KEY (domain, username, hash_name),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
