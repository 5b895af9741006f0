"""Reads of evaluation, one module per subject:

- indicators: which indicators a person sees, and the traffic light of each period and now;
- evaluations: the agreements about evaluation's records, and the evaluations an agenda item
  may decide;
- chain: the traceability chain of a PMOT strategy, and progress rolled up by budget weight.

The reads of indicators are also named here (`selectors.current_lights`), as before the package.
"""

from evaluation.selectors.indicators import (
    Light,
    current_light,
    current_lights,
    indicators_to_report,
    indicators_visible_to,
    period_light,
    reporting_organizations,
    series,
)

__all__ = [
    "Light",
    "current_light",
    "current_lights",
    "indicators_to_report",
    "indicators_visible_to",
    "period_light",
    "reporting_organizations",
    "series",
]
