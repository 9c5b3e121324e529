-- A persistent room's vCard (vcard-temp, XEP-0054), with the room's avatar (XEP-0153), as XML.
ALTER TABLE muc_rooms ADD COLUMN vcard TEXT;
