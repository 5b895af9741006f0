"""Forms of evaluation, one module per subject: `indicators` (the indicator list, sheet,
targets, measurements) and `evaluations` (the program, evaluations and recommendations)."""
