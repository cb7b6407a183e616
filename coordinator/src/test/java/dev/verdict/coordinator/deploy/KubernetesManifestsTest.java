package dev.verdict.coordinator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes, for {@code kubectl apply -k}: every manifest listed, none holding a secret. */
@QuarkusTest
class KubernetesManifestsTest extends CoordinatorDeploymentChecks {

    static final Path DIR = Path.of("..", "deploy", "kubernetes");

    @Override
    List<HasMetadata> objects() throws Exception {
        JsonNode kustomization = KubernetesObjects.YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        assertEquals(manifests(), listed, "kubectl apply -k applies every manifest there is");
        List<HasMetadata> read = new ArrayList<>();
        for (String file : listed) {
            read.addAll(KubernetesObjects.read(file, Files.readString(DIR.resolve(file))));
        }
        return read;
    }

    @Test
    void noFileHoldsAKeyOrASecret() throws Exception {
        assertEquals(List.of(), KubernetesObjects.all(objects, Secret.class), "Secrets are made by the operator");
        for (String file : manifests()) {
            String text = Files.readString(DIR.resolve(file));
            assertFalse(text.contains("vdk_") || text.contains("kind: Secret"), file + " holds no key and no Secret");
        }
    }

    @Test
    void theManifestsPassYamllint() throws Exception {
        KubernetesObjects.yamllint(DIR, Path.of("..", "deploy", "prometheus"));
    }

    private static Set<String> manifests() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
