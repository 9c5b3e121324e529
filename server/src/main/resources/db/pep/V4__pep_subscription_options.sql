-- An explicit subscription's options (XEP-0060 §6.3, the pubsub#subscribe_options form): whether
-- it brings event notifications (pubsub#deliver) and whether a published item's notification
-- carries a <body/> (pubsub#include_body). Subscriptions made before keep the defaults.
ALTER TABLE pep_subscriptions ADD COLUMN deliver BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE pep_subscriptions ADD COLUMN include_body BOOLEAN DEFAULT FALSE NOT NULL;
