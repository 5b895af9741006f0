"""Writes of the phases app, one module per subject: `work` (phases, gates, deliverables,
activities) and `consultation` (the public consultation of the draft PMOT)."""
