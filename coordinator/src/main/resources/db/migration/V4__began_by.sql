-- Who began each transaction: the id of the credential, which alone may command and read it as a
-- client (docs/security.md): "key:<name>" for an API key, "jwt:<sha256 of issuer|subject>" for a
-- token. Null on fences, which a node writes knowing only the id, and on rows
-- from before this version; such rows are open to every client.
alter table transaction_log add column began_by varchar(128);
