"""Demo data of the public consultation: the consultation of the draft PMOT, authorized by the
Cabildo's "Nuevos lineamientos de la consulta pública" (committees demo), open today, with two
hearings and their minutes and comments in every state: pending, upheld, partly upheld, not
upheld and outside the municipality's competence, received online, on paper and at hearings.

Every name and comment is fictional. Needs the program's phase 3 open (the phases demo).
Running it again changes nothing: a program that has a consultation is left alone."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from committees.models import Agreement
from phases.models import Comment, Ruling
from phases.services import consultation as services
from pmot.actors.models import User
from pmot.information.models import Document, TerritorialUnit
from pmot.information.models import Phase as DocumentPhase
from pmot.planning.models import Program
from pmot.planning.services import program as planning_services

TZ = ZoneInfo("America/Mexico_City")
AGREEMENT_ITEM = "Nuevos lineamientos de la consulta pública"
TITLE = "Consulta pública del proyecto de PMOT de Aguascalientes"

# (days after opening, channel, hearing number, name, topic, unit key or None, text, ruling, answer)
COMMENTS = [
    (
        1,
        Comment.Channel.ONLINE,
        None,
        "Rosa Elena Martínez",
        "Ciclovías hacia el oriente",
        None,
        "Propongo que la estrategia de movilidad incluya una ciclovía continua del centro a "
        "las colonias del oriente, donde muchas personas van al trabajo en bicicleta.",
        Ruling.UPHELD,
        "",
    ),
    (
        2,
        Comment.Channel.ONLINE,
        None,
        "Colectivo Vecinos del Río San Pedro",
        "Zona de protección del río",
        "UGAT",
        "La franja del río San Pedro debería tener política de protección y no de "
        "aprovechamiento: se inunda cada temporada de lluvias.",
        Ruling.PARTLY_UPHELD,
        "Se amplía la franja de protección a 50 m del cauce; el resto de la unidad conserva la "
        "política de aprovechamiento sustentable por su urbanización existente.",
    ),
    (
        3,
        Comment.Channel.PAPER,
        None,
        "Jorge Luis Esparza",
        "Cambio de uso de suelo de un predio",
        None,
        "Solicito que mi predio en la salida a Calvillo pase de no urbanizable a urbanizable.",
        Ruling.REJECTED,
        "El predio está en una zona de recarga del acuífero; el modelo territorial la mantiene "
        "no urbanizable para proteger el agua subterránea (estrategia de agua del PMOT).",
    ),
    (
        3,
        Comment.Channel.HEARING,
        1,
        "María Guadalupe Reyes",
        "Transporte público foráneo",
        None,
        "Pido más corridas del transporte que va a Aguascalientes desde las comunidades.",
        Ruling.OUT_OF_SCOPE,
        "Las rutas foráneas las concesiona el Gobierno del Estado; se turnó su comentario a la "
        "Coordinación estatal de movilidad.",
    ),
    (
        8,
        Comment.Channel.HEARING,
        2,
        "Cámara de la construcción (representante)",
        "Densidades en corredores urbanos",
        None,
        "Los corredores urbanos deberían permitir mayor densidad para vivienda vertical cerca "
        "del transporte.",
        Ruling.UPHELD,
        "Se incorpora una estrategia de densificación en corredores con transporte público.",
    ),
    (
        9,
        Comment.Channel.ONLINE,
        None,
        "Anónimo",
        "Arbolado urbano",
        None,
        "Falta una meta de arbolado por colonia.",
        "",
        "",
    ),
    (
        10,
        Comment.Channel.PAPER,
        None,
        "Escuela Primaria Benito Juárez",
        "Cruces seguros frente a escuelas",
        None,
        "Solicitamos que los cruces frente a las escuelas sean prioridad en la estrategia de "
        "movilidad segura.",
        "",
        "",
    ),
]


def load(program: Program, *, today: datetime.date | None = None) -> None:
    if program.consultations.exists():
        return
    agreement = Agreement.objects.get(item__title=AGREEMENT_ITEM)
    today = today or timezone.localdate()
    opens_on = max(today - datetime.timedelta(days=14), timezone.localdate(agreement.decided_at))
    consultation = services.consultation_create(
        program=program,
        title=TITLE,
        agreement=agreement,
        opens_on=opens_on,
        documents=list(Document.objects.published().filter(phase=DocumentPhase.FORMULATION)),
    )
    hearings = [
        services.hearing_add(
            consultation=consultation,
            place=place,
            starts_at=datetime.datetime.combine(
                opens_on + datetime.timedelta(days=offset), datetime.time(18), tzinfo=TZ
            ),
        )
        for place, offset in [
            ("Auditorio del IMPLAN, centro de Aguascalientes", 3),
            ("Salón de usos múltiples de la comunidad de Peñuelas", 8),
        ]
    ]
    for hearing, attendance in zip(hearings, (64, 38), strict=True):
        services.hearing_minutes(
            hearing=hearing,
            minutes=(
                f"Asistieron {attendance} personas. El IMPLAN presentó el proyecto de PMOT; se "
                "recibieron comentarios por escrito y de viva voz, registrados con su folio."
            ),
        )
    _comments(consultation, hearings, opens_on, today)
    # The draft put to consultation is public from then on: its strategies reach the portal.
    if program.status == Program.Status.DRAFTING:
        planning_services.program_update(program=program, status=Program.Status.CONSULTATION)


def _comments(consultation, hearings, opens_on, today) -> None:
    planner = User.objects.filter(username="planeacion").first()
    ugat = TerritorialUnit.objects.management_units().order_by("key").first()
    for n, (offset, channel, hearing, name, topic, unit, text, ruling, answer) in enumerate(
        COMMENTS, start=1
    ):
        day = min(opens_on + datetime.timedelta(days=offset), today)
        content = {
            "name": name,
            "topic": topic,
            "text": text,
            "unit": ugat if unit else None,
        }
        if channel == Comment.Channel.ONLINE:
            comment = services.comment_submit(
                consultation=consultation,
                address=f"192.0.2.{n}",  # documentation addresses (RFC 5737)
                now=datetime.datetime.combine(day, datetime.time(11, n), tzinfo=TZ),
                **content,
            )
        else:
            comment = services.comment_record(
                consultation=consultation,
                channel=channel,
                received_on=day,
                hearing=hearings[hearing - 1] if hearing else None,
                **content,
            )
        if ruling:
            services.comment_rule(comment=comment, ruling=ruling, answer=answer, by=planner)
