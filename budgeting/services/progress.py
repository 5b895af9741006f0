"""Physical progress of the POA's actions: reported by each organization for its share, then
validated or returned by IMPLAN, never by the person who reported it (DOMAIN.md §5–§6).

A figure counts (pages, charts, open data, the physical progress %) only once validated. A
correction of a validated figure is a new report that waits beside it; validated in turn, it
replaces it. Every figure stays, as a row of its own and in its history.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting.models import Action, ProgressReport
from budgeting.selectors import progress_reporters
from budgeting.services.poa import PERIODS
from pmot.actors.models import Organization
from pmot.core.uploads import check_upload

OPEN = (ProgressReport.Status.REPORTED, ProgressReport.Status.RETURNED)


@transaction.atomic
def progress_report(
    *,
    action: Action,
    period: int,
    achieved,
    by,
    organization: Organization | None = None,
    evidence=None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """Report what `organization` (by default the responsible one) achieved of the action in a
    period of its calendar, with its evidence; it waits for IMPLAN's validation. Reported again
    before that, the waiting figure is corrected (its history keeps the earlier one); reported
    after, it is a correction that waits while the validated figure still counts. `at`
    records a report made earlier; by default, now."""
    action = (
        Action.objects.select_for_update().select_related("poa", "responsible").get(pk=action.pk)
    )
    organization = organization or action.responsible
    if not action.poa.is_approved:
        raise ValidationError(_("Progress is reported on the actions of an approved POA."))
    if organization not in progress_reporters(action):
        raise ValidationError(
            _(
                "%(organization)s neither answers for this action nor co-finances any of its "
                "lines: it reports no progress on it."
            )
            % {"organization": organization}
        )
    periods = PERIODS[action.calendar_kind]
    if not 1 <= period <= periods:
        raise ValidationError(_("The period goes from 1 to %(periods)s.") % {"periods": periods})
    achieved = Decimal(str(achieved))
    if achieved < 0:
        raise ValidationError(_("What was achieved is not negative."))
    share = ProgressReport.objects.filter(action=action, period=period, organization=organization)
    report = share.filter(status__in=OPEN).first() or ProgressReport(
        action=action, period=period, organization=organization, by=by
    )
    report.achieved, report.note, report.by = achieved, note.strip(), by
    report.status, report.at = ProgressReport.Status.REPORTED, at or timezone.now()
    report.reviewed_by = report.reviewed_at = None
    report.observations = ""
    if evidence is not None:
        report.evidence_type = check_upload(evidence)
        report.evidence_name = evidence.name[:255]
        report.evidence = evidence
    elif not report.evidence:
        # A correction without a new file keeps the evidence of the figure it corrects.
        validated = share.validated().first()
        if validated is not None and validated.evidence:
            report.evidence = validated.evidence.name
            report.evidence_name, report.evidence_type = (
                validated.evidence_name,
                validated.evidence_type,
            )
    report.save()
    return report


def _reviewable(report: ProgressReport, by) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProgressReport.Status.REPORTED:
        raise ValidationError(
            _(
                "Only progress awaiting validation is validated or returned; this report is "
                "%(status)s."
            )
            % {"status": report.get_status_display().lower()}
        )
    if report.by_id == by.pk:
        raise ValidationError(
            _(
                "You reported this progress: another person of IMPLAN validates or returns it "
                "(four eyes)."
            )
        )
    return report


@transaction.atomic
def progress_validate(*, report: ProgressReport, by, at=None) -> ProgressReport:
    """IMPLAN accepts the figure: it counts from now on, replacing the organization's
    validated figure of that period, if any."""
    report = _reviewable(report, by)
    earlier = ProgressReport.objects.validated().filter(
        action=report.action_id, period=report.period, organization=report.organization_id
    )
    for replaced in earlier.select_for_update().order_by():
        replaced.status = ProgressReport.Status.REPLACED
        replaced.save(update_fields=["status"])
    report.status = ProgressReport.Status.VALIDATED
    report.reviewed_by, report.reviewed_at = by, at or timezone.now()
    report.observations = ""
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "observations"])
    return report


@transaction.atomic
def progress_return(*, report: ProgressReport, observations: str, by, at=None) -> ProgressReport:
    """IMPLAN sends the figure back to its organization with what to correct; it does not
    count, and a figure validated earlier still does."""
    observations = observations.strip()
    if not observations:
        raise ValidationError(_("Say what the reporting organization must correct."))
    report = _reviewable(report, by)
    report.status = ProgressReport.Status.RETURNED
    report.observations = observations
    report.reviewed_by, report.reviewed_at = by, at or timezone.now()
    report.save(update_fields=["status", "observations", "reviewed_by", "reviewed_at"])
    return report
