package dev.verdict.bank;
class Placeholder {}
