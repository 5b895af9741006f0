"""Writes of the portal: `handover` (the hand-over report's PDF, rendered in the background and
stored as a file)."""
