"""Plans, the program and alignment: every write with a rule, one module per subject."""
