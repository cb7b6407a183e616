-- The bank. Money is in minor units (cents). "held" is reserved by prepared debits.
-- (Where each transaction stands is the participant kit's table, created by the kit.)
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
