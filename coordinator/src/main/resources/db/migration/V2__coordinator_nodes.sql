-- Several coordinator processes may share one database. Each process start is a node; it
-- heartbeats here, and every transaction row names the node driving it. A node whose heartbeat
-- is stale, or that a newer start of the same name has superseded, is dead: the live nodes claim
-- its unfinished transactions (each row by exactly one of them) and drive them on.

create table coordinator_node (
    node_id      varchar(64)  primary key,
    name         varchar(255) not null,
    started_at   timestamptz  not null,
    -- Database time, so liveness does not depend on the nodes' clocks agreeing.
    heartbeat_at timestamptz  not null
);

alter table transaction_log add column owner varchar(64);

create index transaction_log_owner_due on transaction_log (owner, due_at) where due_at is not null;
