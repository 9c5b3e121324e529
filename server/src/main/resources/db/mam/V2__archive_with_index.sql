-- The pages of one conversation (XEP-0313 §4.1.1 `with` a bare JID), the query a client makes
-- when it opens a chat: read in index order and stopped after the page, instead of walking the
-- whole archive for the rows of one contact.
CREATE INDEX mam_messages_with ON mam_messages (domain, username, with_bare, stamp, seq);
