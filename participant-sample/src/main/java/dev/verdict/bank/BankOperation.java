package dev.verdict.bank;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Work done under a distributed transaction: a negative amount debits, a positive one credits. */
@Entity
@Table(name = "bank_operation")
public class BankOperation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String txId;

    public String accountId;

    public long amount;
}
