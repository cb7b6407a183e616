package dev.verdict.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code verdict tx ...}: find, read and resolve transactions. */
@Command(name = "tx", description = "Find, read and resolve transactions.",
        subcommands = {TxListCommand.class, TxShowCommand.class,
                TxActionCommands.Retry.class, TxActionCommands.Rollback.class, TxActionCommands.ResolveBranch.class,
                TxActionCommands.RecordOutcome.class, TxActionCommands.Acknowledge.class})
final class TxCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing command: ls, show, retry, rollback, resolve-branch, record-outcome or ack");
    }
}
