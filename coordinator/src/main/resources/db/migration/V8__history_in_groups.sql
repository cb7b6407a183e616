-- History stored as groups (docs/performance.md, "What history costs"). A row holds consecutive
-- entries of one transaction from one node's batch, as a json array, instead of one row per entry:
-- a committed two-participant transaction writes one or two rows instead of ten, each with three
-- index entries, which was most of history's cost to PostgreSQL. The column is json, not jsonb:
-- it is stored as written and read whole, never searched inside, so parsing it on the way in
-- would be work for nothing.
--
-- Entries keep ids of their own, drawn from a sequence: the entries of a row are numbered
-- first_id..last_id. Each batch takes an advisory lock before it draws them and holds it until
-- it commits, so ids become visible in the order they were drawn, as the live event stream needs
-- (GET /events pages by id and resumes from Last-Event-ID). A participant's entries (pause,
-- resume) have no transaction: each is a row of its own.
create table transaction_history_group (
    last_id        bigint       primary key,
    first_id       bigint       not null,
    transaction_id varchar(64),
    node           varchar(255) not null,
    -- When the newest entry of the row was recorded: the row is pruned by it.
    at             timestamptz  not null,
    -- [{"at": "2026-11-23T03:12:09.120Z", "kind": "STATE_CHANGED", "participant": null, "detail": {...}}, ...]
    entries        json         not null,
    check (first_id <= last_id)
);

insert into transaction_history_group (last_id, first_id, transaction_id, node, at, entries)
select id, id, transaction_id, node, at,
       json_build_array(json_build_object(
           'at', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'kind', kind, 'participant', participant, 'detail', detail::json))
from transaction_history;

create sequence transaction_history_entry_id as bigint;
select setval('transaction_history_entry_id', coalesce((select max(id) from transaction_history), 0) + 1, false);

drop table transaction_history;
alter table transaction_history_group rename to transaction_history;
alter table transaction_history rename constraint transaction_history_group_pkey to transaction_history_pkey;
create index transaction_history_transaction on transaction_history (transaction_id, last_id);
create index transaction_history_at on transaction_history (at);
