-- HTTP File Upload (XEP-0363): one row per slot a user was given, from the request to the
-- file's expiry. state: 'pending' (slot given, no PUT yet), 'uploading' (a PUT claimed it),
-- 'stored' (the file is complete and served). The token is the slot's secret, the only name
-- of the file in the URL and in the file store. Rows go with their account (ON DELETE CASCADE:
-- in-band removal and `parley deluser`); the purge then deletes the files no row names.
CREATE TABLE upload_files (
    token        VARCHAR(64)   NOT NULL PRIMARY KEY,
    service      VARCHAR(1023) NOT NULL,
    domain       VARCHAR(1023) NOT NULL,
    username     VARCHAR(1023) NOT NULL,
    filename     VARCHAR(1024) NOT NULL,
    content_type VARCHAR(255),
    size         BIGINT        NOT NULL,
    state        VARCHAR(16)   NOT NULL,
    created      BIGINT        NOT NULL,
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);

CREATE INDEX upload_files_owner ON upload_files (domain, username);
CREATE INDEX upload_files_created ON upload_files (service, created);
