"""Pages of budgeting, one module per subject: `poa` (the POA table, its modifications,
actions, money and progress), `exports` (XLSX, CSV and PDF out, XLSX in), `charts`
(distribution and coverage), `history` (the "Historial" pages of its records)."""
