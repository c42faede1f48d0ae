"""Behaviour: one module per domain. Reads and writes through models/, enforces the rules."""
