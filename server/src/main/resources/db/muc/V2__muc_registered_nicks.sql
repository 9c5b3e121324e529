-- XEP-0045 §7.10: the nickname a member registered with a room, reserved for that user. It is
-- kept on the user's affiliation row: a registration makes the user a member, and losing the
-- affiliation (none, outcast) ends the reservation.
ALTER TABLE muc_affiliations ADD COLUMN nick VARCHAR(1023);
