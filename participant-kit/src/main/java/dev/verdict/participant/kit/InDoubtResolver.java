package dev.verdict.participant.kit;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
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
    /** The longest pause between two questions about one transaction. */
    private static final Duration LONGEST = Duration.ofMinutes(5);

    @Inject
    ParticipantLedger ledger;

    @Inject
    Resources resources;

    @Inject
    Verdict verdict;

    @ConfigProperty(name = "verdict.participant.ask-after", defaultValue = "10s")
    Duration askAfter;

    @ConfigProperty(name = "verdict.participant.ask-every", defaultValue = "5s")
    Duration askEvery;

    // delayUnit: the default unit is minutes, which would leave a restarted service with prepared
    // transactions asking nothing for a minute (found by the conformance suite's outcome-query check).
    @Scheduled(every = "${verdict.participant.ask-every:5s}", delay = 1, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resolve() {
        for (LocalResource resource : resources.all()) {
            for (String txId : ledger.dueToAsk(resource, askAfter, BATCH)) {
                resolve(resource, txId);
            }
        }
    }

    /**
     * Acts on the decision, or asks again later: every {@code ask-every}, doubling with each
     * answer that settles nothing (PENDING, or no answer at all) up to 5 minutes.
     */
    private void resolve(LocalResource resource, String txId) {
        try {
            String decision = verdict.decisionOf(txId);
            switch (decision) {
                case "COMMITTED" -> ledger.commit(resource, txId);
                case "ROLLED_BACK" -> ledger.rollback(resource, txId);
                case "UNKNOWN" -> {
                    // Older than the coordinator's retention and no longer on record: never guess, and
                    // stop asking. The work stays, and a person must settle it (docs/protocol.md, obligation 6).
                    LOG.errorf("transaction %s: the coordinator no longer knows its outcome (UNKNOWN); its work is"
                            + " kept, and no longer asked about, until an operator settles it", txId);
                    ledger.askedWithoutAnswer(resource, txId, null, LONGEST);
                    return;
                }
                default -> {
                    ledger.askedWithoutAnswer(resource, txId, askEvery, LONGEST); // PENDING: not decided yet
                    return;
                }
            }
            LOG.infof("transaction %s: asked the coordinator, decision %s", txId, decision);
        } catch (RuntimeException e) {
            LOG.infof("transaction %s: cannot resolve yet (%s)", txId, e.getMessage());
            ledger.askedWithoutAnswer(resource, txId, askEvery, LONGEST);
        }
    }
}
