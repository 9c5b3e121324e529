-- A subscription's options (XEP-0060 §6.3, the pubsub#subscribe_options form): whether its
-- subscriber gets event notifications (pubsub#deliver) and whether a published item's
-- notification carries a <body/> (pubsub#include_body). Subscriptions made before keep the
-- defaults.
ALTER TABLE pubsub_subscriptions ADD COLUMN deliver BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE pubsub_subscriptions ADD COLUMN include_body BOOLEAN DEFAULT FALSE NOT NULL;
