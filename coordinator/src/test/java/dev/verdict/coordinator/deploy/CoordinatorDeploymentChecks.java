package dev.verdict.coordinator.deploy;

import static dev.verdict.coordinator.deploy.KubernetesObjects.only;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.runtime.configuration.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What matters in any way of deploying the coordinator on Kubernetes, checked on the objects a
 * subclass reads (the plain manifests, the rendered chart): the probes answer on this very
 * coordinator, a disruption budget exists, the grace period outlasts the drain, nothing secret is
 * inlined, the node name is the pod name, pods run restricted, and every setting made is
 * documented in docs/configuration.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CoordinatorDeploymentChecks {

    List<HasMetadata> objects;
    StatefulSet coordinators;
    Container container;

    /** The objects to check, read with {@link KubernetesObjects#read}. */
    abstract List<HasMetadata> objects() throws Exception;

    @BeforeAll
    void read() throws Exception {
        objects = objects();
        coordinators = only(objects, StatefulSet.class);
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
        PodDisruptionBudget pdb = only(objects, PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(coordinators.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
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
        Service headless = KubernetesObjects.named(objects, Service.class, coordinators.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "a draining (not ready) pod is still reachable");
        assertEquals(coordinators.getSpec().getSelector().getMatchLabels(), headless.getSpec().getSelector());
        assertEquals("http://$(POD_NAME)." + headless.getMetadata().getName() + ".$(POD_NAMESPACE).svc:8080",
                env("VERDICT_RECOVERY_ADVERTISED_URL").getValue());
    }

    @Test
    void nothingSecretIsInlined() {
        for (EnvVar e : container.getEnv()) {
            if (e.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY|JDBC_URL|USERNAME).*") && !e.getName().endsWith("_FILE")) {
                assertNotNull(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef(),
                        e.getName() + " comes from a Secret");
            }
        }
        PodSpec pod = coordinators.getSpec().getTemplate().getSpec();
        assertFalse(pod.getAutomountServiceAccountToken(), "no API token in the pods");
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null),
                "the key file is mounted from a Secret, which it follows without a restart");
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
    void everySettingMadeIsDocumented() throws Exception {
        Set<String> documented = documentedKeys();
        for (EnvVar e : container.getEnv()) {
            if (e.getName().startsWith("VERDICT_") || e.getName().startsWith("QUARKUS_")) {
                assertTrue(documented.contains(e.getName()), e.getName() + " is a key of docs/configuration.md");
            }
        }
    }

    EnvVar env(String name) {
        return env(container, name);
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getName() + "'s environment"));
    }

    /** The keys of docs/configuration.md's tables, as environment variables ({@code a.b-c} is {@code A_B_C}). */
    static Set<String> documentedKeys() throws Exception {
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
}
