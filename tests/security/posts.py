"""For every URL of the permission matrix that someone may POST to: a POST valid for its form,
with the record in the state the form needs, and the rows it should change.

POSTS maps a URL name to a function of (the URL's kwargs from EXPECTED, a client of someone
allowed to POST there) that runs inside a savepoint rolled back afterwards, makes what the POST
needs, and returns a `Post`. The matrix posts the same data as each persona: those refused
must change no row; each persona allowed must see its effects happen.
"""

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import Administration, Membership, Municipality, Organization, User
from pmot.core.models import Job
from tests.documents import supporting_document
from tests.security.effects import Created, Deleted, Post, Updated, a_pdf, page_forms  # noqa: F401

Case = Callable[[dict, Client], Post]
# URLs whose allowed POST is not proven here, each with the reason (none left). The matrix still
# posts to them (no data) as each persona refused, and checks nothing changed.
UNCHECKED: dict[str, str] = {}
# The organization of each organization-bound demo persona (as in the matrix).
OWN_ORGANIZATION = {"obras": "SOP", "estatal": "SSMAA", "federal": "SEDATU", "privado": "CIC"}
POSTS: dict[str, Case] = {}


def case(name: str):
    def register(function: Case) -> Case:
        assert name not in POSTS, f"two cases for {name}"
        POSTS[name] = function
        return function

    return register


def today() -> datetime.date:
    return timezone.localdate()


def form_of(client: Client, url_name: str, kwargs: dict | None = None, **overrides) -> dict:
    """The form page of `url_name` as shown, with `overrides`."""
    return page_forms(client, reverse(url_name, kwargs=kwargs or {})) | overrides


# --- actors -------------------------------------------------------------------------------------


@case("actors:organization_create")
def _(kwargs, client):
    data = {"name": "Instituto de prueba", "acronym": "IPRU", "sector": "municipal"}
    return Post(kwargs, data, [Created(Organization, acronym="IPRU", name=data["name"])])


@case("actors:organization_update")
def _(kwargs, client):
    data = form_of(client, "actors:organization_update", kwargs, email="nuevo@ejemplo.mx")
    return Post(kwargs, data, [Updated(Organization, kwargs["pk"], email="nuevo@ejemplo.mx")])


@case("actors:membership_create")
def _(kwargs, client):
    user = User.objects.create_user(username="nueva", first_name="Nueva", last_name="Persona")
    data = {"user": user.pk, "role": "body_member", "start_date": today().isoformat()}
    effect = Created(Membership, user_id=user.pk, organization_id=kwargs["pk"], role="body_member")
    return Post(kwargs, data, [effect])


@case("actors:membership_end")
def _(kwargs, client):
    membership = Membership.objects.filter(status=Membership.Status.ACTIVE).order_by("pk")[0]
    kwargs = {"pk": membership.pk}
    data = {"end_date": today().isoformat()}
    effect = Updated(Membership, membership.pk, status="ended", end_date=today())
    return Post(kwargs, data, [effect])


@case("actors:memberships_sync_now")
def _(kwargs, client):
    effect = Created(Job, task_name="pmot.actors.tasks.sync_memberships", status="pending")
    return Post(kwargs, {}, [effect])


@case("actors:administration_create")
def _(kwargs, client):
    last = Administration.objects.order_by("-end_date")[0]
    start = last.end_date + datetime.timedelta(days=1)
    end = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
    data = {"start_date": start.isoformat(), "end_date": end.isoformat(), "notes": "Prueba"}
    return Post(kwargs, data, [Created(Administration, start_date=start, end_date=end)])


@case("actors:municipality_update")
def _(kwargs, client):
    municipality = Municipality.objects.get()
    data = form_of(client, "actors:municipality_update", population="123456")
    return Post(kwargs, data, [Updated(Municipality, municipality.pk, population=123456)])


# --- committees ---------------------------------------------------------------------------------


def cabildo_session(*, until: str, vote: bool = False, days: int = 20):
    """A session of the Cabildo with one item, taken with the apps' services up to `until`
    (scheduled, convened, installed with every member present, or closed); with `vote`, the
    item's vote open (nominal)."""
    from committees import services as committees
    from committees.models import AgreementType, Body, Member

    body = Body.objects.filter(kind=Body.Kind.CABILDO).order_by("pk")[0]
    now = timezone.now()
    session = committees.session_schedule(
        body=body, kind="ordinary", starts_at=now + datetime.timedelta(days=days), place="Sala"
    )
    item = committees.item_add(
        session=session,
        title="Punto",
        draft_text="Se aprueba.",
        agreement_type=AgreementType.objects.get(code="general"),
    )
    if until in ("convened", "installed", "closed"):
        committees.session_convene(
            session=session, now=min(now, session.starts_at - datetime.timedelta(days=10))
        )
    if until in ("installed", "closed"):
        day = timezone.localtime(session.starts_at).date()
        members = list(Member.objects.current(day).filter(body=body))
        committees.session_install(session=session, present=members, at=session.starts_at)
    opened = committees.vote_open(item=item, method="nominal") if vote else None
    if until == "closed":
        committees.session_close(session=session)
    return session, item, opened


@case("committees:session_create")
def _(kwargs, client):
    from committees.models import Session

    starts = timezone.localtime() + datetime.timedelta(days=30)
    data = {
        "kind": "ordinary",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "place": "Sala de Cabildo",
        "in_chamber": "on",
    }
    return Post(kwargs, data, [Created(Session, place="Sala de Cabildo", status="scheduled")])


@case("committees:item_create")
def _(kwargs, client):
    from committees.models import AgendaItem, AgreementType

    session, _item, _vote = cabildo_session(until="scheduled")
    general = AgreementType.objects.get(code="general")
    data = {"title": "Punto nuevo", "draft_text": "Se aprueba.", "agreement_type": general.pk}
    effect = Created(AgendaItem, session_id=session.pk, title="Punto nuevo")
    return Post({"pk": session.pk}, data, [effect])


@case("committees:session_convene")
def _(kwargs, client):
    from committees.models import Session

    session, _item, _vote = cabildo_session(until="scheduled")
    return Post({"pk": session.pk}, {}, [Updated(Session, session.pk, status="convened")])


@case("committees:session_attendance")
def _(kwargs, client):
    from committees.models import Attendance, Member, Session

    session, _item, _vote = cabildo_session(until="convened", days=0)  # its hour has come
    day = timezone.localtime(session.starts_at).date()
    present = list(
        Member.objects.current(day).filter(body=session.body).values_list("pk", flat=True)
    )
    effects = [
        Updated(Session, session.pk, status="installed"),
        Created(Attendance, session_id=session.pk),
    ]
    return Post({"pk": session.pk}, {"present": [str(pk) for pk in present]}, effects)


@case("committees:session_close")
def _(kwargs, client):
    from committees.models import Session

    session, _item, _vote = cabildo_session(until="installed")
    return Post({"pk": session.pk}, {}, [Updated(Session, session.pk, status="closed")])


@case("committees:vote_open")
def _(kwargs, client):
    from committees.models import Vote

    _session, item, _vote = cabildo_session(until="installed")
    effect = Created(Vote, item_id=item.pk, method="nominal", status="open")
    return Post({"pk": item.pk}, {"method": "nominal"}, [effect])


@case("committees:item_withdraw")
def _(kwargs, client):
    from committees.models import AgendaItem

    _session, item, _vote = cabildo_session(until="installed", vote=True)
    effect = Updated(AgendaItem, item.pk, withdrawal_reason="Falta el dictamen")
    return Post({"pk": item.pk}, {"reason": "Falta el dictamen"}, [effect])


@case("committees:document_create")
def _(kwargs, client):
    from committees.models import ItemDocument

    _session, item, _vote = cabildo_session(until="scheduled")
    data = {"title": "Dictamen nuevo", "file": a_pdf()}
    return Post(
        {"pk": item.pk}, data, [Created(ItemDocument, item_id=item.pk, title=data["title"])]
    )


@case("committees:vote_cast")
def _(kwargs, client):
    from committees.models import Ballot, Vote

    _session, _item, vote = cabildo_session(until="installed", vote=True)
    effects = [
        Created(Ballot, vote_id=vote.pk, choice="for"),
        Updated(Vote, vote.pk, votes_for=vote.votes_for + 1),
    ]
    return Post({"pk": vote.pk}, {"choice": "for"}, effects)


@case("committees:vote_close")
def _(kwargs, client):
    from committees import services as committees
    from committees.models import Agreement, Vote
    from committees.selectors import voting_members

    session, item, vote = cabildo_session(until="installed", vote=True)
    # Every present seat votes, as many for as against: a tie, decided by the casting vote
    # of the President, who presides.
    seats = list(voting_members(session).order_by("pk"))
    half = len(seats) // 2
    for n, seat in enumerate(seats):
        choice = "for" if n < half else "against" if n < 2 * half else "abstain"
        committees.vote_cast(vote=vote, user=seat.user, choice=choice)
    effects = [
        Updated(Vote, vote.pk, status="closed"),
        Created(Agreement, item_id=item.pk, status="approved"),
    ]
    return Post({"pk": vote.pk}, {"casting_vote": "for"}, effects)


@case("committees:session_edit")
def _(kwargs, client):
    from committees.models import Session

    session, _item, _vote = cabildo_session(until="scheduled")
    data = form_of(client, "committees:session_edit", {"pk": session.pk}, place="Salón Rojo")
    return Post({"pk": session.pk}, data, [Updated(Session, session.pk, place="Salón Rojo")])


@case("committees:session_postpone")
def _(kwargs, client):
    from committees.models import Session

    session, _item, _vote = cabildo_session(until="convened")
    later = timezone.localtime(session.starts_at) + datetime.timedelta(days=7)
    data = {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Falta de sala"}
    effect = Updated(Session, session.pk, postponement_reason="Falta de sala")
    return Post({"pk": session.pk}, data, [effect])


@case("committees:session_cancel")
def _(kwargs, client):
    from committees.models import Session

    session, _item, _vote = cabildo_session(until="convened")
    effect = Updated(Session, session.pk, status="cancelled", cancellation_reason="Duelo")
    return Post({"pk": session.pk}, {"reason": "Duelo"}, [effect])


@case("committees:attendance_change")
def _(kwargs, client):
    from committees.models import Attendance

    session, _item, _vote = cabildo_session(until="installed", days=0)
    attendance = session.attendance.order_by("pk")[0]
    data = {"member": attendance.member_id, "change": "leave", "at": ""}
    return Post({"pk": session.pk}, data, [Updated(Attendance, attendance.pk)])


@case("committees:vote_room")
def _(kwargs, client):
    from committees.models import Ballot

    _session, _item, vote = cabildo_session(until="installed", vote=True)
    member = vote.eligible.order_by("pk")[0]
    data = {f"member_{member.pk}": "against"}
    effect = Created(
        Ballot, vote_id=vote.pk, member_id=member.pk, choice="against", how="roll_call"
    )
    return Post({"pk": vote.pk}, data, [effect])


@case("committees:vote_excuse")
def _(kwargs, client):
    from committees.models import Excusal

    _session, _item, vote = cabildo_session(until="installed", vote=True)
    member = vote.eligible.order_by("pk")[0]
    data = {"member": member.pk, "reason": "Conflicto de interés"}
    return Post({"pk": vote.pk}, data, [Created(Excusal, vote_id=vote.pk, member_id=member.pk)])


@case("committees:leave_create")
def _(kwargs, client):
    from committees.models import Body, Leave, Member

    body = Body.objects.get(key=kwargs["key"])
    member = Member.objects.current().filter(body=body, standing="titular").order_by("pk")[0]
    data = {"member": member.pk, "starts_on": "2030-01-10", "ends_on": "", "reason": "Salud"}
    return Post(kwargs, data, [Created(Leave, member_id=member.pk, reason="Salud")])


@case("committees:minutes_create")
def _(kwargs, client):
    from committees.models import Minutes

    session, _item, _vote = cabildo_session(until="closed")
    effect = Created(Minutes, session_id=session.pk, status="draft")
    return Post({"pk": session.pk}, {}, [effect])


@case("committees:minutes_detail")
def _(kwargs, client):
    from committees.models import Minutes

    minutes = Minutes.objects.filter(status="draft").order_by("pk")[0]
    data = {"text": "Acta corregida."}
    return Post({"pk": minutes.pk}, data, [Updated(Minutes, minutes.pk, text="Acta corregida.")])


@case("committees:certificate_request")
def _(kwargs, client):
    effect = Created(
        Job,
        task_name="committees.tasks.render_certificate",
        key=f"certificate:{kwargs['pk']}",
        status="pending",
    )
    return Post(kwargs, {}, [effect])


@case("committees:agreement_manage")
def _(kwargs, client):
    from committees.models import Agreement

    deadline = today() + datetime.timedelta(days=90)
    data = form_of(client, "committees:agreement_detail", kwargs)
    data = {
        key: data[key] for key in ("responsible", "published_in", "published_on") if key in data
    } | {"deadline": deadline.isoformat()}
    return Post(kwargs, data, [Updated(Agreement, kwargs["pk"], deadline=deadline)])


@case("committees:follow_up_create")
def _(kwargs, client):
    from committees.models import FollowUp

    data = {"progress": "40", "note": "Avance de prueba"}
    effect = Created(FollowUp, agreement_id=kwargs["pk"], progress=40, note=data["note"])
    return Post(kwargs, data, [effect])


@case("committees:agreement_correct")
def _(kwargs, client):
    from committees.models import AgreementVersion

    data = {"text": "Texto corregido.", "reason": "Errata"}
    effect = Created(AgreementVersion, agreement_id=kwargs["pk"], text=data["text"])
    return Post(kwargs, data, [effect])


# --- information --------------------------------------------------------------------------------


@case("information:unit_import")
def _(kwargs, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pmot.information.models import UnitImport
    from tests.information.conftest import feature, geojson_bytes

    upload = SimpleUploadedFile("unidades.geojson", geojson_bytes(feature("UGAT-PRUEBA")))
    effect = Created(UnitImport, original_name="unidades.geojson", rows_total=1)
    return Post(kwargs, {"file": upload}, [effect])


@case("information:unit_create")
def _(kwargs, client):
    from pmot.information.models import TerritorialUnit

    unit = TerritorialUnit.objects.order_by("pk")[0]
    data = form_of(client, "information:unit_update", {"key": unit.key}) | {
        "key": "UNIDAD-NUEVA",
        "name": "Unidad nueva",
    }
    return Post(kwargs, data, [Created(TerritorialUnit, key="UNIDAD-NUEVA", name="Unidad nueva")])


@case("information:unit_update")
def _(kwargs, client):
    from pmot.information.models import TerritorialUnit

    unit = TerritorialUnit.objects.get(key=kwargs["key"])
    data = form_of(client, "information:unit_update", kwargs, name="Nombre cambiado")
    return Post(kwargs, data, [Updated(TerritorialUnit, unit.pk, name="Nombre cambiado")])


@case("information:document_create")
def _(kwargs, client):
    from pmot.information.models import Document

    model = Document.objects.order_by("pk")[0]
    data = form_of(client, "information:document_update", {"pk": model.pk})
    data = {key: value for key, value in data.items() if key != "is_published"}
    data |= {"title": "Documento de prueba", "files": a_pdf()}
    # An organization-bound persona files in its own organization's name.
    own = {
        username: {"author_organization": Organization.objects.get(acronym=acronym).pk}
        for username, acronym in OWN_ORGANIZATION.items()
    }
    return Post(kwargs, data, [Created(Document, title="Documento de prueba")], own)


def revision_waiting():
    """A published document of Obras Públicas whose liaison changed its title: the change
    waits in a revision for IMPLAN's review."""
    from pmot.information.models import Document
    from pmot.information.services import documents as services

    document = Document.objects.filter(
        is_published=True, author_organization__acronym="SOP"
    ).order_by("pk")[0]
    document.revisions.all().delete()
    document.title = "Título revisado por Obras Públicas"
    return services.document_save(document=document, by=User.objects.get(username="obras"))


@case("information:revision_approve")
def _(kwargs, client):
    from pmot.information.models import Document, DocumentRevision

    revision = revision_waiting()
    effects = [
        Updated(DocumentRevision, revision.pk, status="approved"),
        Updated(Document, revision.document_id, title="Título revisado por Obras Públicas"),
    ]
    return Post({"pk": revision.pk}, {}, effects)


@case("information:revision_reject")
def _(kwargs, client):
    from pmot.information.models import DocumentRevision

    revision = revision_waiting()
    reason = "No corresponde al documento publicado"
    effects = [Updated(DocumentRevision, revision.pk, status="rejected", review_reason=reason)]
    return Post({"pk": revision.pk}, {"reason": reason}, effects)


@case("information:document_update")
def _(kwargs, client):
    from pmot.information.models import Document

    data = form_of(client, "information:document_update", kwargs, title="Título cambiado")
    return Post(kwargs, data, [Updated(Document, kwargs["pk"], title="Título cambiado")])


@case("information:file_add")
def _(kwargs, client):
    from pmot.information.models import DocumentFile

    effect = Created(DocumentFile, document_id=kwargs["pk"])
    return Post(kwargs, {"file": a_pdf("anexo.pdf")}, [effect])


# --- planning -----------------------------------------------------------------------------------


@case("planning:program_edit")
def _(kwargs, client):
    from pmot.planning.models import Program
    from pmot.planning.selectors import the_program

    data = form_of(client, "planning:program_edit", name="Programa renombrado")
    return Post(kwargs, data, [Updated(Program, the_program().pk, name="Programa renombrado")])


@case("planning:plan_create")
def _(kwargs, client):
    from pmot.planning.models import Plan

    data = {"key": "plan-prueba", "name": "Plan de prueba", "order": "municipal"}
    data["level_names_text"] = "Eje\nLínea"
    effect = Created(Plan, key="plan-prueba", level_names=["Eje", "Línea"])
    return Post(kwargs, data, [effect])


@case("planning:plan_edit")
def _(kwargs, client):
    from pmot.planning.models import Plan

    plan = Plan.objects.get(key=kwargs["key"])
    data = form_of(client, "planning:plan_edit", kwargs, name="Plan renombrado")
    return Post(kwargs, data, [Updated(Plan, plan.pk, name="Plan renombrado")])


@case("planning:plan_import")
def _(kwargs, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pmot.planning.models import Plan, PlanImport

    csv = b"clave,clave_superior,nombre\nIMP-1,,Eje importado\n"
    upload = SimpleUploadedFile("plan.csv", csv, content_type="text/csv")
    plan = Plan.objects.get(key=kwargs["key"])
    effect = Created(PlanImport, plan_id=plan.pk, original_name="plan.csv", rows_total=1)
    return Post(kwargs, {"file": upload}, [effect])


@case("planning:element_create")
def _(kwargs, client):
    from pmot.planning.models import Plan, PlanElement

    plan = Plan.objects.get(key=kwargs["key"])
    data = {"key": "NUEVO-1", "name": "Elemento nuevo"}
    return Post(kwargs, data, [Created(PlanElement, plan_id=plan.pk, key="NUEVO-1")])


@case("planning:element_edit")
def _(kwargs, client):
    from pmot.planning.models import PlanElement

    data = form_of(client, "planning:element_edit", kwargs, name="Nombre cambiado")
    return Post(kwargs, data, [Updated(PlanElement, kwargs["pk"], name="Nombre cambiado")])


@case("planning:alignment_create")
def _(kwargs, client):
    from pmot.planning.models import Alignment, PlanElement

    element = PlanElement.objects.get(pk=kwargs["pk"])
    aligned = Alignment.objects.filter(source=element).values("target")
    target = (
        PlanElement.objects.exclude(plan=element.plan)
        .exclude(plan__key="")
        .exclude(pk__in=aligned)
        .order_by("pk")[0]
    )
    data = {"con": target.plan.key, "target": target.pk, "note": "Prueba"}
    effect = Created(Alignment, source_id=element.pk, target_id=target.pk)
    return Post(kwargs, data, [effect])


@case("planning:alignment_delete")
def _(kwargs, client):
    from pmot.planning.models import Alignment

    return Post(kwargs, {}, [Deleted(Alignment, kwargs["pk"])])


# --- budgeting ----------------------------------------------------------------------------------


def draft_poa(*, aligned: bool = True):
    """A draft POA (fiscal year 2030) with one draft action, aligned to the PMOT unless told."""
    from decimal import Decimal

    from budgeting.models import ProgramModality
    from budgeting.services import poa as poa_services
    from pmot.planning.models import PlanElement

    poa = poa_services.poa_create(fiscal_year=2030)
    action = poa_services.action_save(
        poa=poa,
        key="PR-01",
        name="Acción en borrador",
        kind="public_works",
        # An organization of no demo persona: theirs would let them edit it.
        responsible=Organization.objects.exclude(acronym__in=OWN_ORGANIZATION.values())
        .filter(is_active=True)
        .order_by("pk")[0],
        modality=ProgramModality.objects.get(key="K"),
        target=Decimal("100"),
        target_unit="metros",
        calendar_kind="quarterly",
        calendar=[Decimal("25")] * 4,
    )
    if aligned:
        element = PlanElement.objects.filter(
            plan__order__in=poa_services.ALIGNABLE_ORDERS
        ).order_by("pk")[0]
        poa_services.action_align(action=action, elements=[element])
    return poa, action


def approved_poa():
    from budgeting.models import Poa

    return Poa.objects.filter(status__in=["approved", "modified"]).order_by("pk")[0]


@case("budgeting:poa_create")
def _(kwargs, client):
    from budgeting.models import Poa

    return Post(kwargs, {"fiscal_year": "2031"}, [Created(Poa, fiscal_year=2031, status="draft")])


@case("budgeting:poa_submit")
def _(kwargs, client):
    from budgeting.models import Action, Poa

    poa, action = draft_poa()
    effects = [
        Updated(Poa, poa.pk, status="submitted"),
        Updated(Action, action.pk, status="submitted"),
    ]
    return Post({"pk": poa.pk}, {}, effects)


@case("budgeting:poa_return")
def _(kwargs, client):
    from budgeting.models import Poa
    from budgeting.services import poa as poa_services

    poa, _action = draft_poa()
    poa_services.poa_submit(poa=poa)
    return Post({"pk": poa.pk}, {}, [Updated(Poa, poa.pk, status="draft")])


@case("budgeting:modification_open")
def _(kwargs, client):
    from budgeting.models import Modification, Poa

    poa = approved_poa()
    effects = [
        Updated(Poa, poa.pk, status="modified"),
        Created(Modification, poa_id=poa.pk, reason="Ampliación de prueba"),
    ]
    return Post({"pk": poa.pk}, {"reason": "Ampliación de prueba"}, effects)


def requested_transfer():
    """A transfer of one peso between two lines of the approved POA, asked by Obras Públicas'
    liaison: the office that holds the budget decides it (never who asked)."""
    from django.db.models import F

    from budgeting.models import BudgetLine
    from budgeting.services import money
    from budgeting.services import poa as poa_services

    poa = approved_poa()
    modification = poa_services.modification_open(
        poa=poa, reason="Traspaso de prueba", by=User.objects.get(username="obras")
    )
    lines = BudgetLine.objects.filter(
        action__poa=poa, source__is_fismdf=False, modified__gte=F("committed") + 1
    ).order_by("pk")
    for line, stage in zip(lines[:2], ("reduction", "increase"), strict=True):
        money.change_request(
            document=supporting_document(),
            modification=modification,
            line=line,
            stage=stage,
            amount="1.00",
            date=line.movements.order_by("date")[0].date,
            by=modification.by,
        )
    return modification, lines


@case("budgeting:modification_authorize")
def _(kwargs, client):
    from budgeting.models import Modification, Movement

    modification, lines = requested_transfer()
    effects = [
        Updated(Modification, modification.pk, status="applied"),
        Created(Movement, line_id=lines[1].pk, stage="increase", modification_id=modification.pk),
    ]
    return Post({"pk": modification.pk}, {}, effects)


@case("budgeting:modification_reject")
def _(kwargs, client):
    from budgeting.models import Modification

    modification, _lines = requested_transfer()
    reason = "Sin suficiencia presupuestal"
    effects = [
        Updated(Modification, modification.pk, status="rejected", decision_reason=reason),
    ]
    return Post({"pk": modification.pk}, {"reason": reason}, effects)


@case("budgeting:poa_close")
def _(kwargs, client):
    from budgeting.models import Poa

    poa = approved_poa()
    return Post({"pk": poa.pk}, {}, [Updated(Poa, poa.pk, status="closed")])


def action_data(client, action) -> dict:
    return form_of(client, "budgeting:action_edit", {"pk": action.pk})


@case("budgeting:action_create")
def _(kwargs, client):
    from budgeting.models import Action

    poa, action = draft_poa()
    data = action_data(client, action) | {"key": "PR-02", "name": "Acción nueva"}
    effect = Created(Action, poa_id=poa.pk, key="PR-02", name="Acción nueva")
    return Post({"pk": poa.pk}, data, [effect])


@case("budgeting:action_edit")
def _(kwargs, client):
    from budgeting.models import Action

    _poa, action = draft_poa()
    data = action_data(client, action) | {"name": "Nombre cambiado"}
    return Post({"pk": action.pk}, data, [Updated(Action, action.pk, name="Nombre cambiado")])


@case("budgeting:action_submit")
def _(kwargs, client):
    from budgeting.models import Action

    _poa, action = draft_poa()
    return Post({"pk": action.pk}, {}, [Updated(Action, action.pk, status="submitted")])


@case("budgeting:action_align")
def _(kwargs, client):
    from budgeting.services import poa as poa_services
    from pmot.planning.models import PlanElement

    _poa, action = draft_poa(aligned=False)
    element = PlanElement.objects.filter(plan__order__in=poa_services.ALIGNABLE_ORDERS).order_by(
        "pk"
    )[0]
    through = type(action).alignments.through
    effect = Created(through, action_id=action.pk, planelement_id=element.pk)
    return Post({"pk": action.pk}, {"plan": element.plan.key, "element": element.pk}, [effect])


@case("budgeting:action_unalign")
def _(kwargs, client):
    _poa, action = draft_poa()
    element = action.alignments.get()
    through = type(action).alignments.through
    row = through.objects.get(action=action, planelement=element)
    return Post({"pk": action.pk, "element": element.pk}, {}, [Deleted(through, row.pk)])


@case("budgeting:line_add")
def _(kwargs, client):
    from budgeting.models import BudgetLine, ExpenseItem, FunctionalClass, FundingSource

    _poa, action = draft_poa()
    source = FundingSource.objects.filter(is_fismdf=False).order_by("pk")[0]
    data = {
        "linea-source": source.pk,
        "linea-expense_item": ExpenseItem.objects.order_by("pk")[0].pk,
        "linea-functional": FunctionalClass.objects.order_by("pk")[0].pk,
    }
    effect = Created(BudgetLine, action_id=action.pk, source_id=source.pk)
    return Post({"pk": action.pk}, data, [effect])


@case("budgeting:progress_report")
def _(kwargs, client):
    from budgeting.models import Action, ProgressReport
    from budgeting.services.poa import PERIODS

    action = (
        Action.objects.filter(poa=approved_poa())
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .exclude(lines__cofinancer__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")[0]
    )
    reported = set(action.reports.values_list("period", flat=True))
    period = max(set(range(1, PERIODS[action.calendar_kind] + 1)) - reported)
    data = {"avance-period": str(period), "avance-achieved": "7", "avance-note": "Avance"}
    effect = Created(ProgressReport, action_id=action.pk, period=period, note="Avance")
    return Post({"pk": action.pk}, data, [effect])


@case("budgeting:progress_validate")
def _(kwargs, client):
    from budgeting.models import ProgressReport

    return Post(kwargs, {}, [Updated(ProgressReport, kwargs["pk"], status="validated")])


@case("budgeting:progress_return")
def _(kwargs, client):
    from budgeting.models import ProgressReport

    data = {"observations": "Falta la bitácora de obra."}
    effect = Updated(
        ProgressReport, kwargs["pk"], status="returned", observations=data["observations"]
    )
    return Post(kwargs, data, [effect])


@case("budgeting:movement_record")
def _(kwargs, client):
    from budgeting.models import BudgetLine, Movement

    line = BudgetLine.objects.select_related("action__poa").get(pk=kwargs["pk"])
    prefix = f"mov{line.pk}-"
    # A day of the line's fiscal year: today while it runs, else its last or first day.
    year = line.action.poa.fiscal_year
    day = min(max(today(), datetime.date(year, 1, 1)), datetime.date(year, 12, 31))
    data = {
        f"{prefix}stage": "committed",
        f"{prefix}amount": "1.00",
        f"{prefix}date": day.isoformat(),
    }
    effect = Created(Movement, line_id=line.pk, stage="committed")
    return Post(kwargs, data, [effect])


@case("budgeting:poa_import")
def _(kwargs, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from budgeting.models import PoaImport

    poa, _action = draft_poa()
    kwargs = {"pk": poa.pk}
    # The template the page offers, as downloaded.
    template = client.get(reverse("budgeting:poa_import_template", kwargs={"fmt": "csv"}))
    upload = SimpleUploadedFile(
        "acciones.csv",
        b"".join(template.streaming_content if template.streaming else [template.content]),
        content_type="text/csv",
    )
    effect = Created(PoaImport, poa_id=kwargs["pk"], original_name="acciones.csv")
    return Post(kwargs, {"file": upload}, [effect])


@case("budgeting:poa_table_pdf")
def _(kwargs, client):
    effect = Created(Job, task_name="budgeting.tasks.render_poa_table_pdf", status="pending")
    return Post(kwargs, {}, [effect])


# --- evaluation ---------------------------------------------------------------------------------


def job_requested(task_name: str) -> Created:
    return Created(Job, task_name=task_name, status="pending")


@case("evaluation:indicator_sheet_pdf")
def _(kwargs, client):
    effect = job_requested("evaluation.tasks.render_indicator_sheet_pdf")
    return Post(kwargs, {}, [effect])


@case("evaluation:quarterly_report_pdf")
def _(kwargs, client):
    effect = job_requested("evaluation.tasks.render_quarterly_report_pdf")
    return Post(kwargs, {}, [effect])


@case("evaluation:indicator_create")
def _(kwargs, client):
    from evaluation.models import Indicator

    model = Indicator.objects.order_by("pk")[0]
    data = form_of(client, "evaluation:indicator_edit", {"pk": model.pk})
    data |= {"key": "IND-PRUEBA", "name": "Indicador de prueba"}
    return Post(kwargs, data, [Created(Indicator, key="IND-PRUEBA", name="Indicador de prueba")])


@case("evaluation:indicator_edit")
def _(kwargs, client):
    from evaluation.models import Indicator

    data = form_of(client, "evaluation:indicator_edit", kwargs, name="Nombre cambiado")
    return Post(kwargs, data, [Updated(Indicator, kwargs["pk"], name="Nombre cambiado")])


@case("evaluation:program_create")
def _(kwargs, client):
    from evaluation.models import EvaluationProgram

    model = EvaluationProgram.objects.order_by("-year")[0]
    data = form_of(client, "evaluation:program_edit", {"pk": model.pk})
    data |= {"year": str(model.year + 5)}
    data.pop("document", None)
    return Post(kwargs, data, [Created(EvaluationProgram, year=model.year + 5)])


@case("evaluation:program_edit")
def _(kwargs, client):
    from evaluation.models import EvaluationProgram

    program = EvaluationProgram.objects.get(pk=kwargs["pk"])
    data = form_of(client, "evaluation:program_edit", kwargs)
    data.pop("document", None)
    field = "notes" if "notes" in data or "notes" in _names(EvaluationProgram) else "title"
    data[field] = "Texto cambiado"
    return Post(kwargs, data, [Updated(EvaluationProgram, program.pk, **{field: "Texto cambiado"})])


def _names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


@case("evaluation:evaluation_create")
def _(kwargs, client):
    from evaluation.models import Evaluation

    model = Evaluation.objects.order_by("pk")[0]
    data = form_of(client, "evaluation:evaluation_edit", {"pk": model.pk})
    data.pop("report", None)
    data |= {"title": "Evaluación de prueba", "status": "planned"}  # a finished one has a report
    return Post(kwargs, data, [Created(Evaluation, title="Evaluación de prueba")])


@case("evaluation:evaluation_edit")
def _(kwargs, client):
    from evaluation.models import Evaluation

    data = form_of(client, "evaluation:evaluation_edit", kwargs, title="Título cambiado")
    data.pop("report", None)
    return Post(kwargs, data, [Updated(Evaluation, kwargs["pk"], title="Título cambiado")])


@case("evaluation:recommendation_add")
def _(kwargs, client):
    from evaluation.models import Recommendation

    data = {
        "rec-text": "Recomendación de prueba",
        "rec-responsible": Organization.objects.filter(is_active=True).order_by("pk")[0].pk,
        "rec-due": (today() + datetime.timedelta(days=60)).isoformat(),
    }
    effect = Created(Recommendation, evaluation_id=kwargs["pk"], text=data["rec-text"])
    return Post(kwargs, data, [effect])


@case("evaluation:recommendation_follow_up")
def _(kwargs, client):
    from evaluation.models import Recommendation

    recommendation = (
        Recommendation.objects.filter(status="accepted")
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")[0]
    )
    data = {"status": "in_progress", "note": "Seguimiento de prueba"}
    effect = Updated(Recommendation, recommendation.pk, status="in_progress")
    return Post({"pk": recommendation.pk}, data, [effect])


@case("evaluation:measurement_review")
def _(kwargs, client):
    from evaluation.models import Measurement

    measurement = Measurement.objects.get(pk=kwargs["pk"])
    Measurement.objects.filter(pk=measurement.pk).update(status="submitted")
    data = {"decision": "validate"}
    return Post(kwargs, data, [Updated(Measurement, measurement.pk, status="validated")])


@case("evaluation:target_edit")
def _(kwargs, client):
    from decimal import Decimal

    from evaluation.models import Target

    data = form_of(client, "evaluation:target_edit", kwargs)
    shown = page_field_names(client, reverse("evaluation:target_edit", kwargs=kwargs))
    free = sorted(name for name in shown if name.startswith("v-") and name not in data)
    assert free, "every period shown has a target already"
    _v, year, number = free[-1].split("-")
    data |= {free[-1]: "77", f"r-{year}-{number}": "Ajuste de prueba"}
    effect = Created(
        Target, indicator_id=kwargs["pk"], year=int(year), number=int(number), value=Decimal("77")
    )
    return Post(kwargs, data, [effect])


def page_field_names(client: Client, url: str) -> set[str]:
    from tests.security.effects import _forms_in

    response = client.get(url)
    return {bound.html_name for form in _forms_in(response) for bound in form}


@case("evaluation:measurement_report")
def _(kwargs, client):
    from decimal import Decimal

    from evaluation.models import Measurement

    ended = [
        m
        for m in Measurement.objects.exclude(status="validated")
        .exclude(indicator__reporter__acronym__in=OWN_ORGANIZATION.values())
        .select_related("indicator")
        .order_by("pk")
        if m.period.end < today()
    ]
    assert ended, "no measurement of an ended period left to report again"
    measurement = ended[0]
    kwargs = {
        "pk": measurement.indicator_id,
        "year": measurement.year,
        "number": measurement.number,
    }
    data = {"a": "12", "note": "Medición de prueba"}
    if measurement.indicator.variable_b:
        data["b"] = "100"
    effect = Updated(Measurement, measurement.pk, a=Decimal("12"), status="submitted")
    return Post(kwargs, data, [effect])


# --- portal -------------------------------------------------------------------------------------


@case("portal:handover_administration")
def _(kwargs, client):
    return Post(kwargs, {}, [Created(Job, task_name="pmot.portal.tasks.render_handover_pdf")])


# --- phases -------------------------------------------------------------------------------------


def a_foreign_organization() -> Organization:
    """An active organization of no demo persona."""
    return (
        Organization.objects.exclude(acronym__in=OWN_ORGANIZATION.values())
        .filter(is_active=True)
        .order_by("pk")[0]
    )


@case("phases:phase_plan")
def _(kwargs, client):
    from phases.models import Phase

    phase = Phase.objects.get(number=kwargs["number"])
    data = form_of(client, "phases:phase_plan", kwargs)
    end = (phase.planned_end or today()) + datetime.timedelta(days=7)
    data["planned_end"] = end.isoformat()
    return Post(kwargs, data, [Updated(Phase, phase.pk, planned_end=end)])


@case("phases:deliverable_create")
def _(kwargs, client):
    from phases.models import Deliverable, DeliverableType, Phase

    phase = Phase.objects.get(status="open")  # a closed phase's deliverables no longer change
    kwargs = {"number": phase.number}
    kind = DeliverableType.objects.filter(phase_number=phase.number).order_by("pk")[0]
    data = {
        "kind": kind.pk,
        "title": "Entregable de prueba",
        "responsible": a_foreign_organization().pk,
        "author": "implan",
        "due_date": (today() + datetime.timedelta(days=30)).isoformat(),
    }
    effect = Created(Deliverable, phase_id=phase.pk, title="Entregable de prueba")
    return Post(kwargs, data, [effect])


@case("phases:activity_create")
def _(kwargs, client):
    from phases.models import Activity, Phase

    phase = Phase.objects.get(status="open")
    kwargs = {"number": phase.number}
    data = {
        "name": "Actividad de prueba",
        "responsible": a_foreign_organization().pk,
        "planned_start": today().isoformat(),
        "planned_end": (today() + datetime.timedelta(days=30)).isoformat(),
    }
    effect = Created(Activity, phase_id=phase.pk, name="Actividad de prueba")
    return Post(kwargs, data, [effect])


@case("phases:activity_progress")
def _(kwargs, client):
    from phases.models import Activity

    activity = (
        Activity.objects.filter(phase__status="open")
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")[0]
    )
    kwargs = {"pk": activity.pk}
    progress = 55 if activity.progress != 55 else 60
    effect = Updated(Activity, activity.pk, progress=progress)
    return Post(kwargs, {"progress": str(progress)}, [effect])


@case("phases:version_add")
def _(kwargs, client):
    from phases.models import Deliverable, DeliverableVersion

    deliverable = (
        Deliverable.objects.filter(phase__status="open", status__in=["draft", "observed"])
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")[0]
    )
    kwargs = {"pk": deliverable.pk}
    data = {"file": a_pdf("version.pdf"), "note": "Versión de prueba"}
    effect = Created(DeliverableVersion, deliverable_id=kwargs["pk"], note="Versión de prueba")
    return Post(kwargs, data, [effect])


@case("phases:deliverable_publish")
def _(kwargs, client):
    from phases.models import Deliverable

    deliverable = (
        Deliverable.objects.filter(status="accepted", is_published=False)
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")
        .first()
    )
    if deliverable is None:
        deliverable = Deliverable.objects.filter(status="accepted").order_by("pk")[0]
        Deliverable.objects.filter(pk=deliverable.pk).update(is_published=False)
    effect = Updated(Deliverable, deliverable.pk, is_published=True)
    return Post({"pk": deliverable.pk}, {"publicar": "1"}, [effect])


@case("phases:consultation_hearing_add")
def _(kwargs, client):
    from phases.models import Hearing

    starts = timezone.localtime() + datetime.timedelta(days=3)
    data = {"place": "Auditorio de prueba", "starts_at": starts.strftime("%Y-%m-%dT%H:%M")}
    effect = Created(Hearing, consultation_id=kwargs["pk"], place="Auditorio de prueba")
    return Post(kwargs, data, [effect])


@case("phases:consultation_hearing_minutes")
def _(kwargs, client):
    from phases.models import Hearing

    data = {"minutes": "Minuta de prueba"}
    return Post(kwargs, data, [Updated(Hearing, kwargs["pk"], minutes="Minuta de prueba")])


@case("phases:consultation_record")
def _(kwargs, client):
    from phases.models import Comment

    data = {
        "channel": "paper",
        "received_on": today().isoformat(),
        "name": "Vecina de prueba",
        "topic": "Movilidad",
        "text": "Comentario recibido en papel.",
    }
    effect = Created(Comment, consultation_id=kwargs["pk"], name="Vecina de prueba")
    return Post(kwargs, data, [effect])


@case("phases:consultation_comment")
def _(kwargs, client):
    from phases.models import Comment

    data = {"ruling": "rejected", "answer": "Respuesta de prueba"}
    effect = Updated(Comment, kwargs["pk"], ruling="rejected", answer="Respuesta de prueba")
    return Post(kwargs, data, [effect])


# The states these forms need cannot stand beside the demo's (its phases prepared, its open
# phase not ready to close, its consultation open): the fuzz of the staff forms makes them with
# its SCENES, imported here when a case runs (that module imports the matrix, which imports this).


def a_scene(name: str) -> None:
    from tests.fuzz.test_staff_forms import SCENES

    SCENES[name]()


@case("phases:phases_prepare")
def _(kwargs, client):
    from phases.models import Phase
    from pmot.planning.selectors import the_program

    a_scene("unprepared phases")
    program = the_program()
    effects = [
        Created(Phase, program_id=program.pk, number=n, status="pending") for n in range(1, 6)
    ]
    return Post(kwargs, {}, effects)


@case("phases:phase_open")
def _(kwargs, client):
    from phases.models import Phase

    # The phase after the one in progress: phases overlap, the one before it has started.
    after_open = Phase.objects.get(status="open").number + 1
    phase = Phase.objects.get(number=after_open, status="pending")
    effect = Updated(Phase, phase.pk, status="open", actual_start=today())
    return Post({"number": phase.number}, {}, [effect])


@case("phases:deliverable_review")
def _(kwargs, client):
    from phases.models import Deliverable, Review

    deliverable = (
        Deliverable.objects.filter(phase__status="open", status="in_review")
        .exclude(responsible__acronym__in=OWN_ORGANIZATION.values())
        .order_by("pk")[0]
    )
    data = {"step": "observe", "observations": "Falta el anexo cartográfico."}
    effects = [
        Updated(Deliverable, deliverable.pk, status="observed"),
        Created(
            Review,
            deliverable_id=deliverable.pk,
            from_status="in_review",
            to_status="observed",
            observations=data["observations"],
        ),
    ]
    return Post({"pk": deliverable.pk}, data, effects)


@case("phases:consultation_create")
def _(kwargs, client):
    from phases.models import Consultation

    # One consultation at a time per program: the demo's is closed first (the service refuses
    # a second one with a message, and the form page shows it).
    a_scene("closed consultation")
    data = form_of(
        client,
        "phases:consultation_create",
        title="Consulta de prueba",
        opens_on=today().isoformat(),
        days="30",
    )
    data.setdefault("agreement", _first_choice("agreement"))
    effect = Created(Consultation, title="Consulta de prueba", opens_on=today(), closed_at=None)
    return Post(kwargs, data, [effect])


def _first_choice(field: str) -> str:
    """The first choice the consultation form offers for `field` (none is chosen at first)."""
    from phases.forms.consultation import ConsultationForm

    return str(ConsultationForm().fields[field].queryset.order_by("pk")[0].pk)


@case("phases:consultation_close")
def _(kwargs, client):
    from phases.models import Consultation
    from phases.services import consultation as consultations

    a_scene("ended consultation")
    # It closes once every comment has its ruling and answer: the demo leaves some to rule.
    planner = User.objects.get(username="planeacion")
    for comment in consultations.unanswered(Consultation.objects.get(pk=kwargs["pk"])):
        consultations.comment_rule(
            comment=comment, ruling="rejected", answer="Fuera del alcance.", by=planner
        )
    effect = Updated(Consultation, kwargs["pk"], closed_at=lambda value: value is not None)
    return Post(kwargs, {}, [effect])


@case("phases:consultation_publish")
def _(kwargs, client):
    from phases.models import Consultation

    a_scene("closed consultation")
    published = Updated(
        Consultation, kwargs["pk"], answers_published_at=lambda value: value is not None
    )
    return Post(kwargs, {}, [published])
