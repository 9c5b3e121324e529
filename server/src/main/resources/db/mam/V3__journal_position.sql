-- How far the indexer has moved a domain's archive journal (data_dir/mam-journal/<domain>) into
-- mam_messages: written in the transaction that inserts the rows, so that after a crash the
-- journal is replayed from exactly there (ArchiveIndexer).
CREATE TABLE mam_journal (
    domain           VARCHAR(1023) PRIMARY KEY,
    indexed_position BIGINT NOT NULL
);
