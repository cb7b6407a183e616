package dev.verdict.coordinator.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;

/**
 * {@code /console} sends the browser to {@code /console/}, where the web console's static files are
 * served (META-INF/resources/console, docs/console.md): the address people type has no slash, and
 * the page's relative links need one. Public, like those files: they hold no data.
 */
public class ConsoleRedirect {

    void route(@Observes Router router) {
        // Vert.x matches "/console/" to this route too (a trailing slash is optional): only the bare path.
        router.getWithRegex("/console").handler(rc -> rc.redirect("/console/"));
    }
}
