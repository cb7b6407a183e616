package dev.verdict.coordinator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * YAML documents read as Kubernetes objects with the fabric8 model. The model keeps fields it does
 * not know aside rather than failing, so every object is walked and any such field fails: a
 * misspelt {@code readinesProbe} is caught here, not by a cluster that silently ignores it.
 */
final class KubernetesObjects {

    static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ServiceAccount", ServiceAccount.class, "Service", Service.class, "StatefulSet", StatefulSet.class,
            "Deployment", Deployment.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class, "Secret", Secret.class, "ConfigMap", ConfigMap.class,
            "ServiceMonitor", ServiceMonitor.class, "PrometheusRule", PrometheusRule.class);

    private KubernetesObjects() {
    }

    static List<HasMetadata> read(String source, String text) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode doc : YAML.readValues(YAML.createParser(text), JsonNode.class).readAll()) {
            if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                continue; // an empty document between two "---"
            }
            String kind = doc.path("kind").asText();
            assertTrue(KINDS.containsKey(kind), source + ": an object of kind '" + kind + "'");
            HasMetadata object = YAML.treeToValue(doc, KINDS.get(kind));
            noUnknownFields(source + ": " + kind + " " + object.getMetadata().getName(), object);
            objects.add(object);
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = all(objects, kind);
        assertEquals(1, found.size(), "one " + kind.getSimpleName());
        return found.get(0);
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return all(objects, kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    /**
     * Runs Debian's yamllint with deploy/.yamllint over the given files or directories, failing
     * with its report. .ci/run installs it; elsewhere, {@code apt-get install yamllint}.
     */
    static void yamllint(Path... paths) throws IOException, InterruptedException {
        yamllint(List.of("--config-file", Path.of("..", "deploy", ".yamllint").toString()), paths);
    }

    /**
     * The same over a rendered chart, but for line length and how lists are indented: the files it
     * embeds (the dashboard's JSON, the alert rules) are linted as themselves, their lines grow by
     * the embedding's indent, and Helm's toYaml does not indent lists.
     */
    static void yamllintRendered(Path rendered) throws IOException, InterruptedException {
        String config = "{extends: " + Path.of("..", "deploy", ".yamllint").toAbsolutePath().normalize()
                + ", rules: {line-length: disable, indentation: {spaces: consistent, indent-sequences: whatever}}}";
        yamllint(List.of("--config-data", config), rendered);
    }

    private static void yamllint(List<String> config, Path... paths) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("yamllint", "--strict", "--format", "parsable"));
        command.addAll(config);
        for (Path p : paths) {
            command.add(p.toString());
        }
        Process lint;
        try {
            lint = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("yamllint is not installed: apt-get install -y yamllint (.ci/run does)", e);
        }
        assertTrue(lint.waitFor(60, TimeUnit.SECONDS), "yamllint finished");
        String report = new String(lint.getInputStream().readAllBytes());
        assertEquals(0, lint.exitValue(), "yamllint " + List.of(paths) + ":\n" + report);
    }

    /** Walks the fabric8 object tree: any property the model did not recognise is an error. */
    private static void noUnknownFields(String where, Object value) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                noUnknownFields(where + "[" + i++ + "]", item);
            }
        } else if (value instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> noUnknownFields(where + "." + k, v));
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : value.getClass().getMethods()) {
                if (getter.getParameterCount() > 0) {
                    continue;
                }
                if (getter.getName().equals("getAdditionalProperties")) {
                    Map<?, ?> unknown = (Map<?, ?>) invoke(getter, value);
                    assertTrue(unknown == null || unknown.isEmpty(), where + ": unknown fields " + unknown);
                } else if (getter.isAnnotationPresent(JsonProperty.class)) {
                    noUnknownFields(where + "." + getter.getAnnotation(JsonProperty.class).value(),
                            invoke(getter, value));
                }
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(getter.toString(), e);
        }
    }
}
