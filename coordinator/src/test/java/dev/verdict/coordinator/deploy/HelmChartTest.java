package dev.verdict.coordinator.deploy;

import static dev.verdict.coordinator.deploy.KubernetesObjects.all;
import static dev.verdict.coordinator.deploy.KubernetesObjects.named;
import static dev.verdict.coordinator.deploy.KubernetesObjects.only;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/verdict rendered by Helm itself (helm-java runs Helm's Go code; no binary, no
 * cluster) and read as Kubernetes objects: the same checks as the plain manifests, the chart's
 * coordinator pod identical to theirs, the monitoring objects and sample banks wired to what
 * exists, Secrets made only from values given at install, and mistakes refused with a message.
 */
@QuarkusTest
class HelmChartTest extends CoordinatorDeploymentChecks {

    static final Path CHART = Path.of("..", "deploy", "helm", "verdict");
    /** Everything on, the Secrets named by default (as for the plain manifests): what the common checks read. */
    private static final Map<String, String> EVERYTHING = Map.of("metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true",
            "metrics.dashboard.enabled", "true", "banks.enabled", "true");

    @Override
    List<HasMetadata> objects() throws Exception {
        return KubernetesObjects.read("helm template", render(EVERYTHING));
    }

    @Test
    void theChartsCoordinatorPodIsThePlainManifestsOne() throws Exception {
        StatefulSet plain = only(new KubernetesManifestsTest().objects(), StatefulSet.class);
        StatefulSet byDefault = only(KubernetesObjects.read("helm template", render(Map.of())), StatefulSet.class);
        assertEquals(KubernetesObjects.YAML.writeValueAsString(plain.getSpec().getTemplate().getSpec()),
                KubernetesObjects.YAML.writeValueAsString(byDefault.getSpec().getTemplate().getSpec()),
                "with release name verdict and its defaults, the chart deploys the pod deploy/kubernetes does");
        assertEquals(plain.getSpec().getReplicas(), byDefault.getSpec().getReplicas());
        assertEquals(plain.getSpec().getPodManagementPolicy(), byDefault.getSpec().getPodManagementPolicy());
    }

    @Test
    void theServiceMonitorScrapesEveryNodeWithAnOperatorCredential() throws Exception {
        ServiceMonitor monitor = only(objects, ServiceMonitor.class);
        List<Service> scraped = all(objects, Service.class).stream().filter(s -> s.getMetadata().getLabels().entrySet()
                .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet())).toList();
        assertEquals(1, scraped.size(), "it selects one Service: " + scraped);
        Service headless = scraped.get(0);
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "every pod, a draining one too");
        assertEquals(coordinators.getSpec().getSelector().getMatchLabels(), headless.getSpec().getSelector());
        assertEquals("verdict", headless.getMetadata().getLabels().get(monitor.getSpec().getJobLabel()),
                "the alert rules and the dashboard expect job=\"verdict\"");

        List<Service> plain = all(new KubernetesManifestsTest().objects(), Service.class).stream().filter(svc ->
                svc.getMetadata().getLabels() != null && svc.getMetadata().getLabels().entrySet()
                        .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet())).toList();
        assertEquals(List.of("verdict-headless"), plain.stream().map(svc -> svc.getMetadata().getName()).toList(),
                "rendered for a kubectl install (deploy/README.md), it selects the plain manifests' headless Service");

        Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
        assertTrue(headless.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.getPort())));
        assertEquals("/q/metrics", endpoint.getPath());
        given().get(endpoint.getPath()).then().statusCode(401); // hence the credential
        assertEquals("Bearer", endpoint.getAuthorization().getType());
        assertEquals("verdict-metrics", endpoint.getAuthorization().getCredentials().getName());
    }

    @Test
    void theAlertRulesAndTheDashboardAreDeploysOwnFiles() throws Exception {
        PrometheusRule rule = only(objects, PrometheusRule.class);
        ObjectMapper json = new ObjectMapper();
        assertEquals(KubernetesObjects.YAML.readTree(Path.of("..", "deploy", "prometheus", "verdict-alerts.yml").toFile())
                .get("groups"), json.valueToTree(rule.getSpec()).get("groups"));
        assertTrue(rule.getSpec().getGroups().get(0).getRules().size() >= 5);

        ConfigMap dashboard = only(objects, ConfigMap.class);
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"), "Grafana's sidecar finds it");
        assertEquals(json.readTree(Path.of("..", "deploy", "grafana", "verdict-dashboard.json").toFile()),
                json.readTree(dashboard.getData().get("verdict-dashboard.json")));
    }

    @Test
    void eachSampleBankReachesTheCoordinatorItsPeersAndItsSecrets() throws Exception {
        Set<String> documented = documentedKeys();
        List<Deployment> banks = all(objects, Deployment.class);
        assertEquals(2, banks.size());
        NetworkPolicy policy = only(objects, NetworkPolicy.class);
        for (Deployment bank : banks) {
            Container c = bank.getSpec().getTemplate().getSpec().getContainers().get(0);
            String name = env(c, "VERDICT_PARTICIPANT_NAME").getValue();
            assertEquals("http://verdict." + "$(POD_NAMESPACE).svc:8080", env(c, "VERDICT_PARTICIPANT_COORDINATOR_URL").getValue());
            Service own = named(objects, Service.class, "verdict-" + name);
            assertEquals(bank.getSpec().getSelector().getMatchLabels(), own.getSpec().getSelector());
            assertEquals("http://verdict-" + name + ".$(POD_NAMESPACE).svc:8081/verdict", env(c, "VERDICT_PARTICIPANT_CALLBACK_URL").getValue());
            assertTrue(List.of(env("VERDICT_PARTICIPANT_ALLOWED_HOSTS").getValue().split(",")).contains(
                    "verdict-" + name + ".payments.svc"), "the coordinator accepts the bank's callback host");
            assertTrue(policy.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream())
                    .anyMatch(p -> p.getPort().getIntVal() == 8081), "the coordinator may call it back");
            String other = name.equals("bank-a") ? "bank-b" : "bank-a";
            assertEquals(other + "=http://verdict-" + other + ":8081", env(c, "BANK_PEERS").getValue());
            for (EnvVar e : c.getEnv()) {
                if (e.getName().matches("(VERDICT|QUARKUS|BANK)_.*")) {
                    assertTrue(documented.contains(e.getName()), e.getName() + " is a key of docs/configuration.md");
                }
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    assertEquals("verdict-banks", e.getValueFrom().getSecretKeyRef().getName());
                    assertTrue(e.getValueFrom().getSecretKeyRef().getKey().startsWith(name + "."), e.toString());
                }
            }
            assertEquals(6, c.getEnv().stream().filter(e -> e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null).count(), "key, signing secret, peer key, database");
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        }
    }

    @Test
    void secretsAreMadeOnlyFromValuesGivenAtInstall() throws Exception {
        assertEquals(List.of(), all(objects, Secret.class), "with existing Secrets named, the chart makes none");
        String keyFile = "admin sha256:" + "0".repeat(64) + " admin\n";
        String text = render(Map.of("database.url", "jdbc:postgresql://db.example:5432/verdict",
                "database.username", "verdict", "database.password", "s3cret-given-at-install", "auth.apiKeys", keyFile));
        List<HasMetadata> made = KubernetesObjects.read("helm template (secrets given)", text);
        Secret database = named(made, Secret.class, "verdict-database");
        assertEquals("s3cret-given-at-install", database.getStringData().get("password"));
        assertEquals(keyFile, named(made, Secret.class, "verdict-api-keys").getStringData().get("api-keys"));
        StatefulSet set = only(made, StatefulSet.class);
        Container c = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("verdict-database", env(c, "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertFalse(KubernetesObjects.YAML.writeValueAsString(set).contains("s3cret-given-at-install"),
                "the pod spec references the Secret, it never holds the password");
    }

    @Test
    void mistakesAreRefusedWithAMessage() {
        Map<String, String> shortGrace = new LinkedHashMap<>(EVERYTHING);
        shortGrace.put("terminationGracePeriodSeconds", "20");
        assertTrue(refusal(shortGrace).contains("must outlast recovery.drainTimeout"));
        assertTrue(refusal(Map.of("database.existingSecret", "")).contains("Verdict needs a PostgreSQL"));
        assertTrue(refusal(Map.of("database.password", "p")).contains("give database.url and database.username too"));
        assertTrue(refusal(Map.of("auth.existingSecret", "")).contains("Verdict needs its key file"));
        Map<String, String> badDuration = new LinkedHashMap<>(EVERYTHING);
        badDuration.put("recovery.drainTimeout", "twenty");
        assertTrue(refusal(badDuration).contains("give a duration"));
        badDuration.put("recovery.drainTimeout", "1m30s"); // Quarkus would take it; the grace check could not
        assertTrue(refusal(badDuration).contains("give a duration"));
    }

    @Test
    void theChartAndItsRenderingPassYamllint() throws Exception {
        Path rendered = Path.of("target", "helm-template-verdict.yaml");
        Files.writeString(rendered, render(EVERYTHING));
        KubernetesObjects.yamllintRendered(rendered);
        KubernetesObjects.yamllint(CHART.resolve("Chart.yaml"), CHART.resolve("values.yaml"));
    }

    @Test
    void everyOptionalValueRendersValidObjectsUnderAnotherReleaseName() throws Exception {
        Map<String, String> values = new LinkedHashMap<>(EVERYTHING);
        values.putAll(Map.ofEntries(Map.entry("replicas", "5"), Map.entry("image.tag", "0.2.0"),
                Map.entry("extraEnv[0].name", "VERDICT_RECOVERY_NODE_TIMEOUT"), Map.entry("extraEnv[0].value", "15s"),
                Map.entry("podAnnotations.example\\.com/team", "payments"), Map.entry("imagePullSecrets[0].name", "registry"),
                Map.entry("nodeSelector.pool", "tx"), Map.entry("tolerations[0].key", "dedicated"),
                Map.entry("tolerations[0].operator", "Exists"), Map.entry("networkPolicy.from", "null"),
                Map.entry("metrics.dashboard.labels", "null"), Map.entry("metrics.serviceMonitor.labels.release", "prom")));
        String text = render("payments-tx", values);
        List<HasMetadata> rendered = KubernetesObjects.read("helm template payments-tx", text);
        StatefulSet set = only(rendered, StatefulSet.class);
        assertEquals("payments-tx-verdict", set.getMetadata().getName());
        assertEquals(5, set.getSpec().getReplicas());
        Container c = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("15s", env(c, "VERDICT_RECOVERY_NODE_TIMEOUT").getValue());
        assertEquals("http://$(POD_NAME).payments-tx-verdict-headless.$(POD_NAMESPACE).svc:8080",
                env(c, "VERDICT_RECOVERY_ADVERTISED_URL").getValue());
        assertEquals("payments", set.getSpec().getTemplate().getMetadata().getAnnotations().get("example.com/team"));
        for (Deployment bank : all(rendered, Deployment.class)) {
            assertEquals("registry", bank.getSpec().getTemplate().getSpec().getImagePullSecrets().get(0).getName());
        }
        Path file = Path.of("target", "helm-template-payments-tx.yaml");
        Files.writeString(file, text);
        KubernetesObjects.yamllintRendered(file);
    }

    @Test
    void helmLintFindsNothing() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
        assertEquals(List.of(), lint.getMessages().stream().filter(m -> !m.startsWith("[INFO]")).toList());
    }

    /** {@code helm template verdict deploy/helm/verdict --namespace payments --set ...}. */
    private static String render(Map<String, String> values) {
        return render("verdict", values);
    }

    private static String render(String release, Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace("payments");
        values.forEach(template::set);
        return template.call();
    }

    private static String refusal(Map<String, String> values) {
        return assertThrows(RuntimeException.class, () -> render(values)).getMessage();
    }
}
