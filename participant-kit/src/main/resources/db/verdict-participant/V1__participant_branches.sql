-- Verdict participant kit: where each distributed transaction stands at each local resource of this
-- service. One row per (resource, transaction), locked by every callback, so that duplicates, late
-- arrivals and reordering each have exactly one effect. A ROLLED_BACK row for a transaction the
-- resource never worked in is a tombstone: it makes a late prepare vote ABORT and refuses late work.
-- Kept apart from the service's own migrations: history table verdict_participant_schema_history.
create table if not exists verdict_participant_branch (
    resource   varchar(64) not null,
    tx_id      varchar(64) not null,
    state      varchar(16) not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (resource, tx_id)
);
create index if not exists verdict_participant_branch_unfinished on verdict_participant_branch (updated_at)
    where state in ('ACTIVE', 'PREPARED');
