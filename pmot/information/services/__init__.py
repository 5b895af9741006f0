"""Every write of the information base, one module per subject: one transaction each, rules
checked there."""
