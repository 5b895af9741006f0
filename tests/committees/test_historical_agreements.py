"""Issue 18: a decision taken before pmot existed is entered by an administrator as a
historical agreement (date, key, scanned document, subject), changes its subject as a vote
would, and is marked as such wherever it shows."""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees import services
from committees.models import Agreement, AgreementType, Body, Designation, Session
from tests.committees.conftest import SESSION_START
from tests.uploads import pdf_bytes

TZ = ZoneInfo("America/Mexico_City")
DECIDED = datetime.datetime(2024, 11, 28, 11, 0, tzinfo=TZ)


def scan():
    return SimpleUploadedFile("acuerdo.pdf", pdf_bytes("acta firmada"), "application/pdf")


def form(body, implan, **overrides):
    designation = AgreementType.objects.get(code="designation")
    return {
        "body": body.pk,
        "key": "CAB/2024/ORD-21/04",
        "decided_at_0": "2024-11-28",
        "decided_at_1": "11:00",
        "agreement_type": designation.pk,
        "text": "Se designa al IMPLAN como órgano coordinador del PMOT.",
        "scanned_document": scan(),
        "session_kind": "ordinary",
        "session_number": 21,
        "title": "Designación del órgano coordinador",
        "approved": "1",
        "subject": f"committees.Body:{implan.pk}",
    } | overrides


def test_an_administrator_enters_a_historical_agreement_that_takes_effect_and_is_marked(
    client_as, cabildo
):
    body, _members, _ = cabildo
    implan = Body.objects.create(name="Junta del IMPLAN", key="JIMPLAN", kind="implan_board")
    admin = client_as("admin")
    add = reverse("admin:committees_pastagreement_add")

    response = admin.post(add, form(body, implan))
    assert response.status_code == 302, response.text[:3000]
    agreement = Agreement.objects.get(key="CAB/2024/ORD-21/04")
    assert agreement.historical
    assert agreement.decided_at == DECIDED
    # It took effect as the vote would have: the IMPLAN coordinates from that day.
    designation = Designation.objects.get(in_charge=True)
    assert (designation.body, designation.agreement) == (implan, agreement)
    assert designation.start_date == datetime.date(2024, 11, 28)

    staff = client_as("planner").get(reverse("committees:agreement_detail", args=[agreement.pk]))
    public = client_as("anonymous").get(reverse("committees:public_agreement", args=[agreement.pk]))
    listing = client_as("anonymous").get(reverse("committees:public_agreements"))
    for page in (staff, public, listing):
        assert "Acuerdo histórico" in page.text
    assert "Asistencia" not in public.text  # no attendance was taken in pmot
    scanned = client_as("anonymous").get(
        reverse("committees:public_agreement_document", args=[agreement.pk])
    )
    assert b"acta firmada" in b"".join(scanned.streaming_content)
    # The session it holds is a record, not a session held in pmot.
    assert (
        not client_as("planner").get(reverse("committees:session_list")).text.count("ORD-21/2024")
    )


def test_a_historical_agreement_never_stands_in_for_a_session_held_in_pmot(client_as, cabildo):
    body, _members, _ = cabildo
    implan = Body.objects.create(name="Junta del IMPLAN", key="JIMPLAN", kind="implan_board")
    held = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
    )
    admin = client_as("admin")
    add = reverse("admin:committees_pastagreement_add")
    data = form(
        body,
        implan,
        key="CAB/2026/ORD-01/09",
        decided_at_0="2026-01-15",
        session_number=held.number,
    )
    response = admin.post(add, data, follow=True)
    assert "se celebra en pmot" in response.text
    assert not Agreement.objects.filter(key="CAB/2026/ORD-01/09").exists()
    assert not Designation.objects.exists()

    # Without the scanned signed document, nothing is entered either.
    response = admin.post(add, form(body, implan) | {"scanned_document": ""})
    assert response.status_code == 200
    assert not Agreement.objects.exists()
