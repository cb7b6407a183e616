package dev.verdict.participant.kit;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A participant that has heard nothing for a while asks the coordinator. This covers a decision
 * sent while we were down, and work joined to a transaction that was rolled back without us
 * hearing. It runs at start-up too, so a restarted service converges without waiting for retries.
 */
@ApplicationScoped
public class InDoubtResolver {

    private static final Logger LOG = Logger.getLogger(InDoubtResolver.class);

    /** Most transactions asked about per resource and round; the rest wait for the next round. */
    private static final int BATCH = 500;

    @Inject
    ParticipantLedger ledger;

    @Inject
    Resources resources;

    @Inject
    Verdict verdict;

    @ConfigProperty(name = "verdict.participant.ask-after", defaultValue = "10s")
    Duration askAfter;

    // delayUnit: the default unit is minutes, which would leave a restarted service with prepared
    // transactions asking nothing for a minute (found by the conformance suite's outcome-query check).
    @Scheduled(every = "${verdict.participant.ask-every:5s}", delay = 1, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resolve() {
        for (LocalResource resource : resources.all()) {
            for (String txId : ledger.waitingSince(resource, Instant.now().minus(askAfter), BATCH)) {
                resolve(resource, txId);
            }
        }
    }

    private void resolve(LocalResource resource, String txId) {
        try {
            String decision = verdict.decisionOf(txId);
            if ("COMMITTED".equals(decision)) {
                ledger.commit(resource, txId);
            } else if ("ROLLED_BACK".equals(decision)) {
                ledger.rollback(resource, txId);
            } else if ("UNKNOWN".equals(decision)) {
                // Older than the coordinator's retention and no longer on record: never guess.
                // The prepared work stays, and a person must settle it (docs/protocol.md, obligation 6).
                LOG.errorf("transaction %s: the coordinator no longer knows its outcome (UNKNOWN); its prepared"
                        + " work is kept until an operator settles it", txId);
                return;
            } else {
                return; // PENDING: not decided yet; ask again next round
            }
            LOG.infof("transaction %s: asked the coordinator, decision %s", txId, decision);
        } catch (RuntimeException e) {
            LOG.infof("transaction %s: cannot resolve yet (%s)", txId, e.getMessage());
        }
    }
}
