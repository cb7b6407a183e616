package dev.verdict.bank;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Balance in minor units; {@code held} is reserved by prepared debits and never exceeds the balance. */
@Entity
public class Account {

    @Id
    public String id;

    public long balance;

    public long held;
}
