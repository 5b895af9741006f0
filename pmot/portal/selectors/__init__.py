"""Reads of the portal: `published` (the one definition of what may reach a public page),
`poa`, `indicators` and `program` (the public pages of each subsystem, built on `published`)
and `dashboard` (what each person of the staff must do, for their start page)."""
