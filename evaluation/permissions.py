"""Who may change what in evaluation (issue 7, DOMAIN.md §8).

IMPLAN's planners and administrators hold the model permissions: they write indicators and
targets, report any measurement and validate or return them, and record evaluations and
recommendations. The people of an organization hold `actors.report_for_organization` on it,
granted with their membership: they report the measurements of the indicators their
organization reports, and follow up the recommendations it answers for. Every role reads
every indicator (`evaluation.view_indicator`), organization-bound ones included: they change
only their organization's records and read the rest (DOMAIN.md §8).
"""

from evaluation.models import Indicator, Recommendation

REPORT_FOR = "actors.report_for_organization"


def reads_every_indicator(user) -> bool:
    return user.has_perm("evaluation.view_indicator")


def can_see_indicator(user, indicator: Indicator) -> bool:
    return reads_every_indicator(user) or user.has_perm(REPORT_FOR, indicator.reporter)


def can_edit_indicator(user) -> bool:
    return user.has_perm("evaluation.change_indicator")


def can_set_targets(user) -> bool:
    return user.has_perm("evaluation.change_target")


def can_report(user, indicator: Indicator) -> bool:
    return user.has_perm("evaluation.add_measurement") or user.has_perm(
        REPORT_FOR, indicator.reporter
    )


def can_validate(user) -> bool:
    return user.has_perm("evaluation.validate_measurement")


def can_follow_up(user, recommendation: Recommendation) -> bool:
    return user.has_perm("evaluation.add_followup") or user.has_perm(
        REPORT_FOR, recommendation.responsible
    )
