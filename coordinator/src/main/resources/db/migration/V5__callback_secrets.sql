-- The secret each participant gave at registration, with which the coordinator signs every callback
-- to it (docs/protocol.md, "Signed callbacks"). Null for a registration made before this version:
-- its callbacks go unsigned until it registers again (the participant kit re-asserts every 30 s).
alter table participant add column callback_secret varchar(256);
