"""What evaluation offers a session's agenda (issue 18): a finished evaluation's report to
receive. An unfinished one is listed with the reason; once received it is offered no more, and
the agreement shows on the evaluation's page."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from budgeting.models import FundingSource
from committees import services as committees
from committees.models import AgreementType, Session
from evaluation.models import Evaluation
from evaluation.services import evaluations as services
from tests.committees.conftest import agreement_type, cabildo  # noqa: F401
from tests.uploads import pdf_bytes


def evaluation(program, **fields):
    values = {
        "program": program,
        "title": "Evaluación de procesos del programa de agua",
        "kind": Evaluation.Kind.PROCESSES,
        "evaluator": "Consultores del Bajío, S.C.",
        "cost": Decimal("250000.00"),
        "source": FundingSource.objects.get(key="propios"),
        "start": datetime.date(2026, 3, 1),
        "end": datetime.date(2026, 6, 30),
    } | fields
    return services.evaluation_save(**values)


def test_a_session_receives_a_finished_evaluations_report(client_as, cabildo, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    body, members, _ = cabildo
    program = services.program_save(year=2026, title="Programa anual de evaluación 2026")
    running = evaluation(program, title="Evaluación en curso", status=Evaluation.Status.IN_PROGRESS)
    finished = evaluation(
        program,
        status=Evaluation.Status.FINISHED,
        report=SimpleUploadedFile("informe.pdf", pdf_bytes("informe"), "application/pdf"),
    )
    starts_at = timezone.now() + datetime.timedelta(days=9)
    session = committees.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=starts_at, place="Sala de Cabildo"
    )
    secretary = client_as("secretary")
    page = secretary.get(reverse("committees:session_detail", args=[session.pk])).text
    assert f'value="evaluation.Evaluation:{finished.pk}"' in page
    assert f'value="evaluation.Evaluation:{running.pk}"' not in page
    assert "La evaluación no ha concluido." in page

    secretary.post(
        reverse("committees:item_create", args=[session.pk]),
        {
            "title": "Informe de la evaluación de procesos",
            "draft_text": "Se tiene por recibido el informe.",
            "agreement_type": AgreementType.objects.get(code="general").pk,
            "subject": f"evaluation.Evaluation:{finished.pk}",
        },
    )
    item = session.items.get()
    committees.session_convene(session=session, now=starts_at - datetime.timedelta(days=7))
    committees.session_install(session=session, present=members, at=starts_at)
    vote = committees.vote_open(item=item, method="nominal")
    for member in members:
        committees.vote_cast(vote=vote, user=member.user, choice="for")
    agreement = committees.vote_close(vote=vote)

    shown = (
        client_as("planner").get(reverse("evaluation:evaluation_detail", args=[finished.pk])).text
    )
    assert agreement.key in shown
    later = committees.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=starts_at, place="Sala de Cabildo"
    )
    page = secretary.get(reverse("committees:session_detail", args=[later.pk])).text
    assert f'value="evaluation.Evaluation:{finished.pk}"' not in page
