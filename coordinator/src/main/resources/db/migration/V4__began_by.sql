-- Who began each transaction: the name of the credential, which alone may command and read it as a
-- client (docs/security.md). Null on fences, which a node writes knowing only the id, and on rows
-- from before this version; such rows are open to every client.
alter table transaction_log add column began_by varchar(128);
