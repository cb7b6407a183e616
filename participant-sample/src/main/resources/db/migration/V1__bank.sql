-- Participant kit: where each distributed transaction stands at this participant. A row in
-- ROLLED_BACK for a transaction we never worked in is a tombstone: it makes a late prepare abort.
create table verdict_participant_tx (
    tx_id      varchar(64) primary key,
    state      varchar(16) not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index verdict_participant_tx_unfinished on verdict_participant_tx (updated_at)
    where state in ('ACTIVE', 'PREPARED');

-- The bank. Money is in minor units (cents). "held" is reserved by prepared debits.
create table account (
    id      varchar(64) primary key,
    balance bigint not null check (balance >= 0),
    held    bigint not null default 0 check (held >= 0 and held <= balance)
);

-- Work done under a distributed transaction: negative amounts debit, positive credit.
create table bank_operation (
    id         bigserial   primary key,
    tx_id      varchar(64) not null,
    account_id varchar(64) not null references account (id),
    amount     bigint      not null check (amount <> 0)
);
create index bank_operation_tx on bank_operation (tx_id);
