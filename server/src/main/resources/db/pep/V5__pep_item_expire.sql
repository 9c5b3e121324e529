-- pubsub#item_expire (XEP-0060 §16.4.4) on PEP nodes: seconds after its publication at which an
-- item is deleted, 0 for never (the default, and what existing nodes get).
ALTER TABLE pep_nodes ADD COLUMN item_expire BIGINT DEFAULT 0 NOT NULL;
