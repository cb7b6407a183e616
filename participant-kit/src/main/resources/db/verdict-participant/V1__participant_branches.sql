-- Verdict participant kit: where each distributed transaction stands at each participant this
-- service is (its name at the coordinator: one per local resource). One row per participant and
-- transaction, locked by every callback, so that duplicates, late arrivals and reordering each have
-- exactly one effect. ABORTED marks a transaction rolled back here without ever being prepared,
-- including a tombstone for one never worked in: a late prepare votes ABORT, a commit is refused.
-- next_ask_at and asks pace the questions to the coordinator about a transaction that went silent.
-- Kept apart from the service's own migrations: history table verdict_participant_schema_history.
create table if not exists verdict_participant_branch (
    participant varchar(64) not null,
    tx_id       varchar(64) not null,
    state       varchar(16) not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    next_ask_at timestamptz,
    asks        integer     not null default 0,
    primary key (participant, tx_id)
);
create index if not exists verdict_participant_branch_waiting
    on verdict_participant_branch (participant, next_ask_at) where state in ('ACTIVE', 'PREPARED');
