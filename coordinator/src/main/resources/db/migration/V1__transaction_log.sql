-- Verdict coordinator log. One row per transaction: the protocol snapshot is one aggregate, so one
-- UPDATE per transition and no joins on the hot path. Branches live in a jsonb array.

create table participant (
    name          varchar(64)   primary key,
    callback_url  varchar(2048) not null,
    registered_at timestamptz   not null,
    updated_at    timestamptz   not null
);

create table transaction_log (
    id           varchar(64)   primary key,
    state        varchar(16)   not null,
    decision     varchar(16),
    reason       varchar(1000),
    branches     jsonb         not null,
    created_at   timestamptz   not null,
    expires_at   timestamptz   not null,
    decided_at   timestamptz,
    completed_at timestamptz,
    -- When the driver must look again (timeout, retry, lost reply). Null once finished, so the
    -- partial index below holds only live transactions.
    due_at       timestamptz,
    version      bigint        not null
);

create index transaction_log_due on transaction_log (due_at) where due_at is not null;
create index transaction_log_in_doubt on transaction_log (decided_at)
    where state in ('COMMITTING', 'ROLLING_BACK', 'HEURISTIC');
