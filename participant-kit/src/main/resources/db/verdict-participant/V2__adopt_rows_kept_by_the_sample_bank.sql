-- Before the kit was a library, the sample bank kept this state in its own table,
-- verdict_participant_tx (one participant per service, no resource names). Bring those rows over,
-- so that a transaction prepared before the upgrade is still committed or rolled back as told, then
-- drop the old table. A tombstone there was ROLLED_BACK; it stays so (a late commit is answered
-- ROLLED_BACK, as before, rather than refused).
do $$
begin
    if to_regclass('verdict_participant_tx') is not null then
        insert into verdict_participant_branch (participant, tx_id, state, created_at, updated_at, next_ask_at)
            select '${participant}', tx_id, state, created_at, updated_at, now()
            from verdict_participant_tx
            on conflict do nothing;
        drop table verdict_participant_tx;
    end if;
end
$$;
