package dev.verdict.security;

import java.util.Set;

/** The roles of docs/security.md, and what a credential says about the participant it speaks for. */
public final class Roles {

    /** Begins, commits and rolls back transactions, and reads the ones it began. */
    public static final String CLIENT = "client";
    /** Registers and enlists itself, under its own participant name only, and asks outcomes. */
    public static final String PARTICIPANT = "participant";
    /** Reads everything: transactions, participants, status, metrics. */
    public static final String OPERATOR = "operator";
    /** Everything, including changing or removing any participant's registration. */
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(CLIENT, PARTICIPANT, OPERATOR, ADMIN);

    /** Security identity attribute: the participant name a credential may register and enlist as. */
    public static final String PARTICIPANT_NAME = "verdict.participant";

    private Roles() {}
}
