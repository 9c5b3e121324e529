-- Push notifications (XEP-0357): the app servers an account enabled, one row per (app server
-- JID, node), with the publish-options form the client gave (XML text, or null) and when it was
-- enabled (epoch milliseconds; the oldest goes first when an account has too many).
CREATE TABLE push_registrations (
    domain          VARCHAR(1023) NOT NULL,
    username        VARCHAR(1023) NOT NULL,
    app_server      VARCHAR(3071) NOT NULL,
    node            VARCHAR(1023) NOT NULL,
    publish_options TEXT,
    enabled_at      BIGINT        NOT NULL,
    PRIMARY KEY (domain, username, app_server, node),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
