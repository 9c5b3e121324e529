-- What a MUC service keeps for all its rooms: the secret its occupant ids are keyed with
-- (XEP-0421 §4: the same user keeps the same id in a room across restarts, and nobody without
-- the secret can tell which user an id stands for).
CREATE TABLE muc_services (
    service  VARCHAR(1023) NOT NULL PRIMARY KEY,
    secret   VARCHAR(128)  NOT NULL
);
