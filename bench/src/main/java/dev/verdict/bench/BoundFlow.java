package dev.verdict.bench;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The same-run bound: what any 2PC coordinator must at least do per transaction, done directly by
 * the load generator against the same stubs: prepare each participant, one synchronously committed
 * PostgreSQL insert (the decision), commit each, all sequential. For a single participant the
 * minimum is one commit-one-phase call and no log write.
 */
final class BoundFlow {

    static final String TABLE_DDL = "create table if not exists bench_decision (id varchar(64) primary key, decided_at timestamptz not null default now())";

    private final Http http;
    private final List<Integer> stubPorts;
    private final Pool database;

    /** @param database connections with {@code synchronous_commit=on} */
    BoundFlow(Http http, List<Integer> stubPorts, Pool database) {
        this.http = http;
        this.stubPorts = stubPorts;
        this.database = database;
    }

    Future<Outcome> run(int participants) {
        String id = UUID.randomUUID().toString();
        if (participants == 1) {
            return call(0, id, "commit-one-phase").map(body -> body.contains("COMMITTED") ? Outcome.COMMITTED : Outcome.ROLLED_BACK);
        }
        Future<Boolean> allPrepared = Future.succeededFuture(true);
        for (int i = 0; i < participants; i++) {
            int stub = i;
            allPrepared = allPrepared.compose(ok -> ok
                    ? call(stub, id, "prepare").map(body -> body.contains("\"PREPARED\""))
                    : Future.succeededFuture(false));
        }
        return allPrepared.compose(prepared -> {
            if (!prepared) {
                return phaseTwo(id, participants, "rollback").map(Outcome.ROLLED_BACK);
            }
            return database.preparedQuery("insert into bench_decision (id) values ($1)").execute(Tuple.of(id))
                    .compose(done -> phaseTwo(id, participants, "commit")).map(Outcome.COMMITTED);
        });
    }

    private Future<Void> phaseTwo(String id, int participants, String action) {
        Future<String> chain = Future.succeededFuture();
        for (int i = 0; i < participants; i++) {
            int stub = i;
            chain = chain.compose(ignored -> call(stub, id, action));
        }
        return chain.mapEmpty();
    }

    private Future<String> call(int stub, String id, String action) {
        return http.post(stubPorts.get(stub), "/transactions/" + id + "/" + action, "{\"transactionId\":\"" + id + "\"}")
                .map(reply -> {
                    CoordinatorFlow.expect(reply, 200, action);
                    return reply.text();
                });
    }
}
