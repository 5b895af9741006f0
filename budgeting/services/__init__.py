"""Writes of budgeting: `poa` (the POA, its actions, their alignment and progress) and `money`
(budget lines and movements through the budget stages, with their invariants)."""
