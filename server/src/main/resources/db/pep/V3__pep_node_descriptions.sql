-- More of a node's configuration (XEP-0060 §16.4.4): its title, description and payload type
-- (pubsub#title, pubsub#description, pubsub#type, also its meta-data, §5.4), the type of its
-- notification messages (pubsub#notification_type), and whether it sends notifications at all
-- and of configuration changes (pubsub#deliver_notifications, pubsub#notify_config, §8.2.5.3).
-- Existing nodes get the defaults.
ALTER TABLE pep_nodes ADD COLUMN title VARCHAR(1023) DEFAULT '' NOT NULL;
ALTER TABLE pep_nodes ADD COLUMN description VARCHAR(1023) DEFAULT '' NOT NULL;
ALTER TABLE pep_nodes ADD COLUMN payload_type VARCHAR(1023) DEFAULT '' NOT NULL;
ALTER TABLE pep_nodes ADD COLUMN notification_type VARCHAR(16) DEFAULT 'headline' NOT NULL;
ALTER TABLE pep_nodes ADD COLUMN deliver_notifications BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE pep_nodes ADD COLUMN notify_config BOOLEAN DEFAULT FALSE NOT NULL;
