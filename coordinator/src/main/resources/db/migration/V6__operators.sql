-- What operators need (docs/operator-api.md): each transaction's history, an append-only audit log
-- of their actions, paused deliveries, acknowledged heuristic outcomes, participant tombstones.

-- History is for people, written behind the hot path in batches; recovery never reads it. Its ids
-- are the ids of the live event stream (GET /events): each batch takes the lock below before it
-- draws ids, so ids become visible in the order they were drawn and a reader that has seen id N
-- never later finds a smaller one. transaction_id is null for a participant's events (paused).
create table transaction_history (
    id             bigserial    primary key,
    transaction_id varchar(64),
    at             timestamptz  not null,
    node           varchar(255) not null,
    kind           varchar(32)  not null,
    participant    varchar(64),
    detail         jsonb        not null default '{}'
);
create index transaction_history_transaction on transaction_history (transaction_id, id);
create index transaction_history_at on transaction_history (at);

create table audit_log (
    id             bigserial     primary key,
    at             timestamptz   not null,
    node           varchar(255)  not null,
    actor          varchar(128)  not null,
    action         varchar(32)   not null,
    transaction_id varchar(64),
    participant    varchar(64),
    reason         varchar(1000) not null,
    detail         jsonb         not null default '{}'
);
create index audit_log_transaction on audit_log (transaction_id, id) where transaction_id is not null;
create index audit_log_participant on audit_log (participant, id) where participant is not null;

-- Append-only, enforced where it cannot be bypassed by a bug in the coordinator.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op;
end $$;
create trigger audit_log_append_only before update or delete or truncate on audit_log
    for each statement execute function audit_log_append_only();

alter table participant add column paused_at timestamptz,
                        add column paused_by varchar(128),
                        add column pause_reason varchar(1000),
                        -- A deregistered participant is kept as a tombstone (its name still explains
                        -- old transactions) until retention prunes it.
                        add column deregistered_at timestamptz;

-- An operator's acknowledgement of a heuristic outcome after reconciling it. The row stays (the
-- decision and what each participant did are facts); it leaves the in-doubt lists.
alter table transaction_log add column acknowledged_at timestamptz,
                            add column acknowledged_by varchar(128),
                            add column acknowledgement varchar(1000);
drop index transaction_log_heuristic;
create index transaction_log_heuristic on transaction_log (decided_at)
    where state = 'HEURISTIC' and acknowledged_at is null;
