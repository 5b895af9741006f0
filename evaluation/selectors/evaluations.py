"""Reads of evaluations and the agreements about them: the agreements whose agenda item is
about given records, and the evaluations an agenda item may decide."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from committees.hooks import Candidate
from committees.models import Agreement
from evaluation.models import Evaluation


def agreements_about(
    subjects: dict[type, Iterable[int]],
    *,
    agreements: QuerySet[Agreement] | None = None,
    also: Iterable[int] = (),
) -> QuerySet[Agreement]:
    """The agreements (of `agreements`, every one by default) whose agenda item's subject is
    one of `subjects` (model -> pks), and those whose pk is in `also`; with their body and
    item. One query (and one for the content types the first time)."""
    types = ContentType.objects.get_for_models(*subjects)
    condition = Q(pk__in=list(also))
    for model, pks in subjects.items():
        pks = list(pks)
        if pks:
            condition |= Q(item__subject_type=types[model], item__subject_id__in=pks)
    if agreements is None:
        agreements = Agreement.objects.all()
    return agreements.filter(condition).select_related("body", "item")


# --- What an agenda item may decide (committees.hooks.register_subjects) ----------------------


def evaluation_subjects(*, body):
    """For the Cabildo and the coordinating body: finished evaluations whose report a session
    receives (an agreement of receipt, shown on the evaluation's page); not yet ready while the
    evaluation runs or has no report, and offered no more once received."""
    received = Agreement.objects.approved().filter(
        body=body, item__subject_type=ContentType.objects.get_for_model(Evaluation)
    )
    done = set(received.values_list("item__subject_id", flat=True))
    for evaluation in Evaluation.objects.exclude(pk__in=done).order_by("-end", "pk"):
        reason = ""
        if evaluation.status != Evaluation.Status.FINISHED:
            reason = _("The evaluation has not finished.")
        elif not evaluation.report:
            reason = _("The evaluation's report has not been uploaded.")
        yield Candidate(evaluation, evaluation.title, reason)
