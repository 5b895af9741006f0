"""Writes of budgeting: `poa` (the POA, its actions and their alignment), `progress` (physical
progress reported by each organization and validated by IMPLAN), `money`
(budget lines and movements through the budget stages, with their invariants, and the
increases and reductions a modification requests), `modifications` (deciding a modification:
IMPLAN authorizes a transfer, the Cabildo's vote a change to the POA's total) and `imports`
(a POA's actions from a spreadsheet, read and written by a job)."""
