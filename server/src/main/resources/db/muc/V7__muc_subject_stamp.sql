-- When the subject was set (epoch milliseconds): a newcomer's subject carries it as <delay/>
-- (XEP-0045 §7.2.15, XEP-0203). Null for a subject stored before this column.
ALTER TABLE muc_rooms ADD COLUMN subject_stamp BIGINT;
