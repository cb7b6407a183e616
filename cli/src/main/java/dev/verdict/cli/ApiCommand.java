package dev.verdict.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that asks the coordinator one thing and prints the answer as a table or as JSON. */
abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    /** Does the work; the answer is printed by the command itself. */
    abstract void execute(ApiClient api);

    @Override
    public final Integer call() {
        execute(global.root().client());
        out().flush();
        return ExitCode.OK;
    }

    boolean json() {
        return global.root().output == GlobalOptions.Output.JSON;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The API's JSON as it came, for scripts. */
    void printJson(String body) {
        out().println(body.strip());
    }

    void printJson(JsonNode node) {
        try {
            out().println(ApiClient.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
