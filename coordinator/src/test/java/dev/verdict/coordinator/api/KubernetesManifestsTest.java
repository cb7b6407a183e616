package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * deploy/kubernetes read as Kubernetes objects (the fabric8 model; unknown top-level fields fail)
 * and checked for what matters: the probes answer on this very coordinator, a disruption budget
 * exists, the grace period outlasts the drain, nothing secret is inlined, the node name is the pod
 * name, and every setting the manifests make is documented in docs/configuration.md.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ServiceAccount", ServiceAccount.class, "Service", Service.class, "StatefulSet", StatefulSet.class,
            "PodDisruptionBudget", PodDisruptionBudget.class, "NetworkPolicy", NetworkPolicy.class);

    private final ObjectMapper yaml = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final List<HasMetadata> objects = new ArrayList<>();
    private StatefulSet coordinators;
    private Container container;

    @BeforeAll
    void read() throws IOException {
        JsonNode kustomization = yaml.readTree(DIR.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(present::add);
        }
        assertEquals(present, listed, "kubectl apply -k applies every manifest there is");
        for (String file : listed) {
            for (JsonNode doc : yaml.readValues(yaml.createParser(DIR.resolve(file).toFile()), JsonNode.class).readAll()) {
                String kind = doc.path("kind").asText();
                assertTrue(KINDS.containsKey(kind), file + ": an object of kind '" + kind + "' (a Secret never belongs here)");
                HasMetadata object = yaml.treeToValue(doc, KINDS.get(kind));
                // fabric8 models keep fields they do not know aside instead of failing: look there.
                Map<?, ?> unknown = additional(object);
                assertTrue(unknown.isEmpty(), file + ": unknown top-level fields " + unknown);
                objects.add(object);
            }
        }
        coordinators = only(StatefulSet.class);
        container = coordinators.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void theProbesPointAtHealthEndpointsThisCoordinatorServes() {
        Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(),
                "/q/health/live", container.getLivenessProbe(), "/q/health/ready", container.getReadinessProbe());
        probes.forEach((path, probe) -> {
            assertNotNull(probe, "a probe on " + path);
            assertEquals(path, probe.getHttpGet().getPath());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
            int status = given().get(path).statusCode();
            assertTrue(status == 200 || status == 503, path + " is a health endpoint here, answered " + status);
        });
        assertEquals(8080, container.getPorts().get(0).getContainerPort());
        assertEquals("http", container.getPorts().get(0).getName());
    }

    @Test
    void oneReplicaAtATimeMayBeDisrupted() {
        PodDisruptionBudget pdb = only(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(coordinators.getSpec().getTemplate().getMetadata().getLabels(), pdb.getSpec().getSelector().getMatchLabels());
        assertTrue(coordinators.getSpec().getReplicas() >= 3);
    }

    @Test
    void aStoppingPodHasTimeToDrainBeforeItIsKilled() {
        Duration drain = DurationConverter.parseDuration(env("VERDICT_RECOVERY_DRAIN_TIMEOUT").getValue());
        long grace = coordinators.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(Duration.ofSeconds(grace).compareTo(drain.plusSeconds(5)) >= 0,
                "grace " + grace + " s outlasts the drain " + drain + " with room to spare");
    }

    @Test
    void theNodeNameIsThePodNameAndPeersReachItThroughTheHeadlessService() {
        assertEquals("metadata.name", env("POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("$(POD_NAME)", env("VERDICT_RECOVERY_NODE_NAME").getValue());
        Service headless = objects.stream().filter(o -> o instanceof Service s && "None".equals(s.getSpec().getClusterIP()))
                .map(Service.class::cast).findFirst().orElseThrow();
        assertEquals(headless.getMetadata().getName(), coordinators.getSpec().getServiceName());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "a draining (not ready) pod is still reachable");
        assertEquals("http://$(POD_NAME)." + headless.getMetadata().getName() + ".$(POD_NAMESPACE).svc:8080",
                env("VERDICT_RECOVERY_ADVERTISED_URL").getValue());
    }

    @Test
    void nothingSecretIsInlined() throws IOException {
        for (EnvVar e : container.getEnv()) {
            if (e.getName().matches(".*(PASSWORD|SECRET|TOKEN|JDBC_URL|USERNAME).*")) {
                assertNotNull(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef(),
                        e.getName() + " comes from a Secret");
            }
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains("vdk_") || text.contains("kind: Secret"), f + " holds no key and no Secret");
            }
        }
        PodSpec pod = coordinators.getSpec().getTemplate().getSpec();
        assertFalse(pod.getAutomountServiceAccountToken(), "no API token in the pods");
    }

    @Test
    void podsRunRestricted() {
        PodSpec pod = coordinators.getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                "a writable /tmp under the read-only root");
        assertNotNull(container.getResources().getLimits().get("memory"), "a memory limit, which sizes the heap");
    }

    @Test
    void everySettingTheManifestsMakeIsDocumented() throws IOException {
        Set<String> documented = documentedKeys();
        for (EnvVar e : container.getEnv()) {
            if (e.getName().startsWith("VERDICT_") || e.getName().startsWith("QUARKUS_")) {
                assertTrue(documented.contains(e.getName()), e.getName() + " is a key of docs/configuration.md");
            }
        }
    }

    /** The keys of docs/configuration.md's tables, as environment variables ({@code a.b-c} is {@code A_B_C}). */
    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        Pattern row = Pattern.compile("^\\| (`[^|]+`) \\|", Pattern.MULTILINE);
        Pattern key = Pattern.compile("`([^`]+)`");
        Matcher rows = row.matcher(Files.readString(Path.of("..", "docs", "configuration.md")));
        while (rows.find()) {
            Matcher k = key.matcher(rows.group(1));
            String first = null;
            while (k.find()) {
                String name = k.group(1);
                if (name.startsWith(".") && first != null) { // `quarkus.datasource.username` / `.password`
                    name = first.substring(0, first.lastIndexOf('.')) + name;
                } else {
                    first = name;
                }
                keys.add(name.replaceAll("[.-]", "_").toUpperCase(Locale.ROOT));
            }
        }
        return keys;
    }

    private static Map<?, ?> additional(HasMetadata object) {
        try {
            Object found = object.getClass().getMethod("getAdditionalProperties").invoke(object);
            return found == null ? Map.of() : (Map<?, ?>) found;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(object.getClass() + " has no additional properties", e);
        }
    }

    private EnvVar env(String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in the coordinator's environment"));
    }

    private <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertEquals(1, found.size(), "one " + kind.getSimpleName());
        return found.get(0);
    }
}
