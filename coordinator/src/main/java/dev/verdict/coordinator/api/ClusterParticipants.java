package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.ParticipantView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliveries to a participant as the whole cluster sees them. The registration and its pause are
 * shared (the database); the backlog and the last deliveries are each node's memory, so every
 * other live node is asked for its part ({@code ?scope=node}, with the caller's credential) and
 * the parts are added up. A node that does not answer is named in {@code unansweredNodes}: its
 * part is missing, and the operator is told so rather than shown a smaller backlog as the truth.
 */
@ApplicationScoped
public class ClusterParticipants {

    @Inject
    PeerReads peers;

    /** Blocking, at most about {@link PeerReads#DEADLINE}. */
    List<ParticipantView> list(List<ParticipantView> own, String credential) {
        List<PeerReads.Reply<ParticipantView[]>> replies = peers.get("/participants?scope=node", credential,
                ParticipantView[].class);
        Map<String, List<ParticipantView>> parts = new HashMap<>();
        List<String> unanswered = new ArrayList<>();
        for (PeerReads.Reply<ParticipantView[]> reply : replies) {
            if (reply.answer() == null) {
                unanswered.add(reply.node().name());
            } else {
                Arrays.stream(reply.answer()).forEach(p -> parts.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p));
            }
        }
        return own.stream().map(p -> merge(p, parts.getOrDefault(p.name(), List.of()), unanswered)).toList();
    }

    /** Blocking, at most about {@link PeerReads#DEADLINE}. */
    ParticipantView one(ParticipantView own, String credential) {
        String path = "/participants/" + URLEncoder.encode(own.name(), StandardCharsets.UTF_8) + "?scope=node";
        List<ParticipantView> parts = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        for (PeerReads.Reply<ParticipantView> reply : peers.get(path, credential, ParticipantView.class)) {
            if (reply.answer() == null) {
                unanswered.add(reply.node().name());
            } else {
                parts.add(reply.answer());
            }
        }
        return merge(own, parts, unanswered);
    }

    /** Backlogs add up; the oldest wait and the latest deliveries win; the registration is this node's copy. */
    static ParticipantView merge(ParticipantView own, List<ParticipantView> others, List<String> unanswered) {
        long backlog = own.backlog();
        Long oldest = own.oldestWaitingAgeMs();
        Instant lastSuccess = own.lastSuccessAt();
        ParticipantView lastFailed = own;
        for (ParticipantView p : others) {
            backlog += p.backlog();
            oldest = max(oldest, p.oldestWaitingAgeMs());
            lastSuccess = max(lastSuccess, p.lastSuccessAt());
            if (p.lastFailureAt() != null && (lastFailed.lastFailureAt() == null || p.lastFailureAt().isAfter(lastFailed.lastFailureAt()))) {
                lastFailed = p;
            }
        }
        return new ParticipantView(own.name(), own.callbackUrl(), own.registeredAt(), own.updatedAt(), backlog, oldest,
                lastSuccess, lastFailed.lastFailureAt(), lastFailed.lastError(), own.paused(),
                unanswered.isEmpty() ? null : List.copyOf(unanswered));
    }

    private static <T extends Comparable<? super T>> T max(T a, T b) {
        return a == null ? b : b == null || a.compareTo(b) >= 0 ? a : b;
    }
}
