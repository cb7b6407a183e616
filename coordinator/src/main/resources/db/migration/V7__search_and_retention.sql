-- Operators search the log (GET /transactions, docs/operator-api.md) and retention prunes it. Every
-- search filter and every pruning batch is served by an index, measured on 1,000,000 rows in
-- docs/performance.md ("Operator queries on 1,000,000 rows").

-- Every state but COMMITTED, in id order: unfinished decisions, fences, heuristic outcomes. The
-- bulk of the table (COMMITTED) is not in it, so a search for a rare state walks only its own rows;
-- COMMITTED is found by walking the primary key. A decision adds one entry here (as it already did
-- in transaction_log_unfinished); its completion as COMMITTED adds none.
create index transaction_log_rare_state on transaction_log (state, id) where state <> 'COMMITTED';

-- Decision time of finished rows, for decidedAfter. Partial on purpose: recovery's and the status's
-- reads of unfinished rows (completed_at is null, ordered by decided_at) must keep walking the small
-- transaction_log_unfinished, never this index over the whole table. The search reads unfinished
-- rows apart, through that one.
create index transaction_log_decided on transaction_log (decided_at) where completed_at is not null;

-- The participants of each transaction, for the participant filter. Only the names are indexed
-- (two or three entries a row), not the whole branches document; ANALYZE keeps statistics on the
-- expression, so the planner walks the primary key for a common participant and this index for a
-- rare one.
create index transaction_log_participants on transaction_log
    using gin (jsonb_path_query_array(branches, '$[*].participant') jsonb_path_ops);

-- When a node was declared dead (or left, or was superseded): dead node rows are pruned a while
-- after that, never while a paused node could still wake up and act on them. Rows already dead
-- count as dead from now.
alter table coordinator_node add column died_at timestamptz;
update coordinator_node set died_at = now() where heartbeat_at = '-infinity';
create index coordinator_node_died on coordinator_node (died_at) where died_at is not null;

-- Participant tombstones, pruned by deregistration time.
create index participant_deregistered on participant (deregistered_at) where deregistered_at is not null;
