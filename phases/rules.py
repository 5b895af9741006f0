"""Pure rules of the phases: counting business days for a consultation's period.

The rules themselves live in `pmot.planning.rules` (layer 3), which the state opinion's term
needs too; they are named here for the phases' code and tests.
"""

from pmot.planning.rules import is_business_day, last_day, official_holidays

__all__ = ["is_business_day", "last_day", "official_holidays"]
