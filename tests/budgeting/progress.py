"""Progress that counts: reported by one person, validated by another (four eyes)."""

from django.utils import timezone

from budgeting.models import ProgressReport
from budgeting.services import progress as progress_services
from tests.factories import UserFactory


def validated_progress(*, action, period: int, achieved, by=None, organization=None):
    """Report `achieved` for `period` (by default the responsible organization's share) and
    have a second person validate it: what every page counts."""
    report = progress_services.progress_report(
        action=action,
        period=period,
        achieved=achieved,
        by=by or UserFactory(),
        organization=organization,
    )
    return progress_services.progress_validate(report=report, by=UserFactory())


def validated(action, reviewer) -> dict:
    """The fields of a row written directly that make it count: the responsible
    organization's share, validated by `reviewer` (someone other than its reporter)."""
    return {
        "organization_id": action.responsible_id,
        "status": ProgressReport.Status.VALIDATED,
        "reviewed_by": reviewer,
        "reviewed_at": timezone.now(),
    }
