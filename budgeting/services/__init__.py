"""Writes of budgeting: `poa` (the POA, its actions, their alignment and progress), `money`
(budget lines and movements through the budget stages, with their invariants, and the
increases and reductions a modification requests) and `modifications` (deciding a modification:
IMPLAN authorizes a transfer, the Cabildo's vote a change to the POA's total)."""
