-- Undecided transactions now live only in the memory of the node that began them: a crash turns
-- them into the rollback they would have become (presumed abort), so writing them bought nothing.
-- The log keeps what recovery and operators need: commit decisions and their completions, fences
-- (a node's durable "rolled back" for a transaction whose owner it could not reach), and
-- heuristic outcomes. One row per transaction still; see docs/architecture.md.

-- Rows of kinds this version never writes, left by an earlier version: undecided transactions and
-- rollbacks in progress. Without a commit decision they rolled back; their participants learn it
-- by asking, as for any transaction whose coordinator stopped before deciding.
update transaction_log
   set state = 'ROLLED_BACK', decision = 'ROLLED_BACK', due_at = null, completed_at = coalesce(completed_at, now()),
       reason = coalesce(reason, 'coordinator upgraded before a decision (presumed abort)')
 where state in ('ACTIVE', 'PREPARING', 'ROLLING_BACK');

-- Scheduling and optimistic versions moved to the owner's memory. Dropping due_at drops the two
-- indexes on it, which every write used to touch.
drop index transaction_log_in_doubt;
alter table transaction_log drop column due_at, drop column version;
-- A fence is written by a node that knows only the id.
alter table transaction_log alter column created_at drop not null, alter column expires_at drop not null;

-- Decided and not yet finished, by the node driving them: what takeover and the status read.
create index transaction_log_unfinished on transaction_log (owner) where completed_at is null;
create index transaction_log_heuristic on transaction_log (decided_at) where state = 'HEURISTIC';

-- Where each node can be reached by the others, which forward requests to a transaction's owner.
alter table coordinator_node add column address varchar(2048);
