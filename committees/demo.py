"""Demo data of committees: the Cabildo of Aguascalientes with 15 fictional members, a COPLADEM
designated by agreement, a year of sessions with votes and agreements in every state, and the
coming days: a session to convene, one postponed and one cancelled.
Votes are taken as in the room: the member with an account votes from her device and the
secretary enters the rest (each name in a roll call, or the show of hands).
Loaded once: a second run finds the Cabildo and changes nothing."""

import datetime

from django.core.files.base import ContentFile

from committees import services
from committees.models import Agreement, AgreementType, Body, Member, Session, Vote
from committees.rules import Choice
from pmot.actors.demo import TZ, Calendar, calendar
from pmot.actors.models import Organization, User
from pmot.actors.roles import Role, Sector
from pmot.actors.services.memberships import membership_start
from pmot.core.pdf import render_pdf

# Fictional members of the Cabildo besides the demo accounts: (first, last, gender, role)
CABILDO = [
    ("Leticia", "Navarro Cruz", "F", Member.Role.PRESIDENT),
    ("Arturo", "Macías Robles", "M", Member.Role.SYNDIC),
    *[
        (first, last, gender, Member.Role.ALDERMAN)
        for first, last, gender in [
            ("Fernanda", "Ruiz Esparza", "F"),
            ("Raúl", "Chávez Lomelí", "M"),
            ("Gabriela", "Ortega Campos", "F"),
            ("Javier", "Delgado Romo", "M"),
            ("Mónica", "Herrera Vallín", "F"),
            ("Óscar", "Esquivel Tapia", "M"),
            ("Diana", "Gallegos Ibarra", "F"),
            ("Luis", "Martínez Durán", "M"),
            ("Teresa", "Valdivia Jara", "F"),
            ("Eduardo", "Sánchez Loera", "M"),
            ("Claudia", "Romo de Vivar", "F"),
            ("Sergio", "Padilla Ávila", "M"),
        ]
    ],
]


def load(*, upcoming: bool = True, today: datetime.date | None = None) -> None:
    """The Cabildo and a year of its sessions (the story's year of the demo calendar); with
    `upcoming`, also the session convened for the coming days. (load_demo adds that one last,
    after the other apps' demos held their own sessions, so the sessions' numbers follow their
    dates.)"""
    dates = calendar(today)
    if not Body.objects.filter(kind=Body.Kind.CABILDO).exists():
        cabildo, members = _cabildo(dates)
        copladem = _copladem(dates)
        _year_of_sessions(cabildo, members, copladem, dates)
        _historical(cabildo, dates)
    if upcoming:
        load_upcoming(today=dates.today)


def _person(username, first, last, gender) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "gender": gender},
    )
    if created:
        user.set_unusable_password()  # a fictional member who never logs in
        user.save(update_fields=["password"])
    return user


def _seat(body, user, role, dates: Calendar, sector=Sector.MUNICIPAL, has_vote=True):
    return services.member_add(
        body=body,
        user=user,
        role=role,
        sector=sector,
        has_vote=has_vote,
        start_date=dates.term_start,
    )


def _cabildo(dates: Calendar):
    cabildo = Body.objects.create(
        name="H. Ayuntamiento de Aguascalientes (Cabildo)",
        key="CAB",
        kind=Body.Kind.CABILDO,
        organization=Organization.objects.get(acronym="Ayuntamiento"),
    )
    ayuntamiento = Organization.objects.get(acronym="Ayuntamiento")
    members = []
    for i, (first, last, gender, role) in enumerate(CABILDO, start=1):
        person = _person(f"cabildo{i:02d}", first, last, gender)
        # The seat lets them vote; the role lets them read the internal records.
        membership_start(
            user=person,
            organization=ayuntamiento,
            role=Role.COUNCIL_MEMBER,
            position=Member.Role(role).label,
            start_date=dates.term_start,
        )
        members.append(_seat(cabildo, person, role, dates))
    regidora = User.objects.get(username="regidora")
    members.append(_seat(cabildo, regidora, Member.Role.ALDERMAN, dates))
    _seat(
        cabildo,
        User.objects.get(username="secretaria"),
        Member.Role.COUNCIL_SECRETARY,
        dates,
        has_vote=False,
    )
    return cabildo, members  # 15 with a vote, the presidenta first


def _copladem(dates: Calendar):
    copladem = Body.objects.create(
        name="Comité de Planeación para el Desarrollo Municipal (COPLADEM)",
        key="COPLADEM",
        kind=Body.Kind.COPLADEM,
        organization=Organization.objects.get(acronym="IMPLAN"),
    )
    president = Member.objects.get(body__kind=Body.Kind.CABILDO, role=Member.Role.PRESIDENT)
    _seat(copladem, president.user, Member.Role.PRESIDENT, dates)
    planner = User.objects.get(username="planeacion")
    _seat(copladem, planner, Member.Role.TECHNICAL_SECRETARY, dates)
    for username, sector in [
        ("obras", Sector.MUNICIPAL),
        ("estatal", Sector.STATE),
        ("federal", Sector.FEDERAL),
        ("privado", Sector.PRIVATE),
        ("ciudadana", Sector.SOCIAL),
        ("comite", Sector.ACADEMIA),
    ]:
        _seat(copladem, User.objects.get(username=username), Member.Role.COUNSELOR, dates, sector)
    return copladem


# (month, day, kind, present, items: (title, type, votes for/against/abstain, fate))
SESSIONS = [
    (
        1,
        22,
        "ordinary",
        15,
        [
            (
                "Designación del COPLADEM como órgano coordinador del PMOT",
                "designation",
                (13, 1, 1),
                "designation",
            )
        ],
    ),
    (
        3,
        12,
        "ordinary",
        14,
        [
            ("Programa de trabajo del PMOT {year}", "general", (12, 2, 0), "overdue"),
            ("Aviso público del inicio de la planeación", "general", (14, 0, 0), "fulfilled"),
        ],
    ),
    (
        5,
        7,
        "extraordinary",
        13,
        [
            (
                "Permuta de un predio municipal en la colonia Insurgentes",
                "real_estate",
                (8, 4, 1),
                "rejected",
            )
        ],
    ),
    (
        7,
        16,
        "ordinary",
        12,
        [("Convenio de coordinación con la SEDATU", "general", (6, 6, 0), "in_progress")],
    ),
    (
        9,
        10,
        "ordinary",
        15,
        [
            ("Lineamientos de la consulta pública", "general", (11, 3, 1), "revoked"),
            ("Nuevos lineamientos de la consulta pública", "general", (12, 2, 1), "approved"),
        ],
    ),
]


# The Cabildo keeps meeting after the story's year: its ordinary sessions of the next year held
# by the day the demo is loaded. (month, day, present)
FOLLOWING = [(1, 28, 15), (3, 25, 14), (5, 27, 15), (7, 29, 13), (9, 30, 15)]
# (title, type, fate): everybody present votes for.
FOLLOWING_ITEMS = [("Informe de avance del PMOT", "general", "report")]


def _schedule(dates: Calendar) -> list:
    """(start, kind, present, items) of the sessions held: the story's year, then the next
    year's up to today."""
    held = [
        (dates.at(month, day, 10), kind, present, items)
        for month, day, kind, present, items in SESSIONS
    ]
    held += [
        (
            dates.at(month, day, 10, years=1),
            "ordinary",
            present,
            [(title, code, (present, 0, 0), fate) for title, code, fate in FOLLOWING_ITEMS],
        )
        for month, day, present in FOLLOWING
        if dates.on(month, day, years=1) < dates.today
    ]
    return held


def _year_of_sessions(cabildo, members, copladem, dates: Calendar) -> None:
    planner = User.objects.get(username="planeacion")
    secretary = User.objects.get(username="secretaria")
    by_fate: dict[str, Agreement] = {}
    previous_minutes = None
    for starts_at, kind, present, written in _schedule(dates):
        items = [
            (title.format(year=dates.year), code, votes, fate)
            for title, code, votes, fate in written
        ]
        session = services.session_schedule(
            body=cabildo, kind=kind, starts_at=starts_at, place="Sala de Cabildo"
        )
        if previous_minutes is not None:
            items = [
                (
                    "Aprobación del acta de la sesión anterior",
                    "minutes",
                    (present, 0, 0),
                    previous_minutes,
                ),
                *items,
            ]
        for title, code, _votes, fate in items:
            services.item_add(
                session=session,
                title=title,
                draft_text=(
                    "El H. Ayuntamiento aprueba el acta de la sesión anterior."
                    if code == "minutes"
                    else f"El H. Ayuntamiento aprueba: {title[0].lower()}{title[1:]}."
                ),
                agreement_type=AgreementType.objects.get(code=code),
                subject=copladem if fate == "designation" else _subject_of(fate),
            )
        services.session_convene(session=session, now=starts_at - datetime.timedelta(days=5))
        services.session_install(session=session, present=members[:present], at=starts_at)
        for n, (item, (_title, _code, votes, fate)) in enumerate(
            zip(session.items.all(), items, strict=True), start=1
        ):
            at = starts_at + datetime.timedelta(minutes=20 * n)
            agreement = _vote(item, members[:present], votes, at, secretary=secretary)
            if isinstance(fate, str):
                by_fate[fate] = agreement
        services.session_close(session=session, at=starts_at + datetime.timedelta(hours=2))
        previous_minutes = services.minutes_draft(session=session)
    _carry_out(by_fate, planner, dates)


def _subject_of(fate):
    """Minutes to approve are passed in place of a fate."""
    return None if isinstance(fate, str) else fate


def _vote(item, present, votes, at, *, secretary) -> Agreement:
    """Every present seat votes: a member with an account from her own device, the others as
    the secretary enters them. Minutes are approved by a show of hands (the count, and those
    against or abstaining by name); everything else by roll call."""
    economic = item.agreement_type.code == "minutes"
    vote = services.vote_open(
        item=item, method=Vote.Method.ECONOMIC if economic else Vote.Method.NOMINAL
    )
    choices = [Choice.FOR] * votes[0] + [Choice.AGAINST] * votes[1] + [Choice.ABSTAIN] * votes[2]
    in_room = {}
    for member, choice in zip(present, choices, strict=True):
        if member.user.has_usable_password():
            services.vote_cast(vote=vote, user=member.user, choice=choice)
        else:
            in_room[member] = choice
    if economic:
        services.vote_record_hands(
            vote=vote,
            by=secretary,
            votes_for=sum(choice == Choice.FOR for choice in in_room.values()),
            against=[m for m, choice in in_room.items() if choice == Choice.AGAINST],
            abstaining=[m for m, choice in in_room.items() if choice == Choice.ABSTAIN],
        )
    else:
        services.vote_record_roll_call(vote=vote, by=secretary, choices=in_room)
    tied = votes[0] == votes[1]
    return services.vote_close(vote=vote, casting_vote=Choice.FOR if tied else None, at=at)


def _carry_out(by_fate, planner, dates: Calendar) -> None:
    implan = Organization.objects.get(acronym="IMPLAN")
    works = Organization.objects.get(acronym="SOP")
    for fate, responsible, deadline in [
        ("overdue", implan, dates.on(6, 30)),
        ("fulfilled", implan, dates.on(4, 30)),
        ("in_progress", works, dates.on(3, 31, years=1)),
        ("approved", implan, dates.on(6, 30, years=1)),
    ]:
        agreement = by_fate[fate]
        agreement.responsible, agreement.deadline = responsible, deadline
        agreement.save(update_fields=["responsible", "deadline"])
    services.follow_up_add(
        agreement=by_fate["overdue"],
        progress=60,
        note="Programa en revisión.",
        by=planner,
        date=dates.on(5, 20),
    )
    services.follow_up_add(
        agreement=by_fate["fulfilled"],
        progress=100,
        by=planner,
        note="Aviso publicado en la Gaceta Municipal.",
        date=dates.on(4, 2),
    )
    services.follow_up_add(
        agreement=by_fate["in_progress"],
        progress=35,
        by=planner,
        note="Borrador del convenio enviado a la SEDATU.",
        date=dates.on(10, 1),
    )
    services.agreements_mark_overdue(today=dates.on(7, 1))
    services.agreement_revoke(agreement=by_fate["revoked"], by_agreement=by_fate["approved"])


def load_upcoming(*, today: datetime.date | None = None) -> None:
    """The Cabildo's coming days, dated from `today`: an extraordinary session cancelled after
    its notice, an ordinary one postponed (a new notice with the new date), and one scheduled
    for the secretary to convene. None of them when a session after today is there already.
    Created in the order of their dates, so their numbers follow them."""
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    dates = calendar(today)
    tomorrow = _day_at(dates, 1, 0)
    if Session.objects.filter(body=cabildo, starts_at__gte=tomorrow).exists():
        return
    _cancelled(cabildo, dates)
    _postponed(cabildo, dates)
    session = services.session_schedule(
        body=cabildo,
        kind=Session.Kind.ORDINARY,
        starts_at=_day_at(dates, 4, 10),
        place="Sala de Cabildo",
    )
    services.item_add(
        session=session,
        title="Informe anual del PMOT",
        draft_text=f"El H. Ayuntamiento aprueba el informe anual del PMOT {dates.year}.",
        agreement_type=AgreementType.objects.get(code="general"),
    )


def _day_at(dates: Calendar, days: int, hour: int) -> datetime.datetime:
    """`days` after the demo's today, at `hour` in the municipality."""
    return datetime.datetime.combine(
        dates.today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=TZ
    )


def _convened(cabildo, dates: Calendar, *, kind, starts_at, title, text, notice_at) -> Session:
    session = services.session_schedule(
        body=cabildo, kind=kind, starts_at=starts_at, place="Sala de Cabildo"
    )
    services.item_add(
        session=session,
        title=title,
        draft_text=text,
        agreement_type=AgreementType.objects.get(code="general"),
        now=notice_at,
    )
    return services.session_convene(session=session, now=notice_at)


def _cancelled(cabildo, dates: Calendar) -> None:
    session = _convened(
        cabildo,
        dates,
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=_day_at(dates, 2, 12),
        title="Convenio de alumbrado público con el Gobierno del Estado",
        text="El H. Ayuntamiento aprueba el convenio de alumbrado público con el Gobierno del "
        "Estado.",
        notice_at=_day_at(dates, -2, 9),
    )
    services.session_cancel(
        session=session,
        reason="El Gobierno del Estado pidió revisar el convenio; se presentará en una sesión "
        "ordinaria.",
        at=_day_at(dates, -1, 13),
    )


def _postponed(cabildo, dates: Calendar) -> None:
    session = _convened(
        cabildo,
        dates,
        kind=Session.Kind.ORDINARY,
        starts_at=_day_at(dates, 1, 10),
        title="Reglamento de imagen urbana del Centro Histórico",
        text="El H. Ayuntamiento aprueba el Reglamento de imagen urbana del Centro Histórico.",
        notice_at=_day_at(dates, -4, 9),
    )
    # The new notice goes out at once and meets the three days' rule for the new date.
    services.session_postpone(
        session=session,
        starts_at=_day_at(dates, 3, 17),
        reason="La Sala de Cabildo está en obras de mantenimiento ese día.",
        now=_day_at(dates, -1, 12),
    )


def _historical(cabildo: Body, dates: Calendar) -> Agreement:
    """An agreement taken before pmot existed, entered from its signed document: the Cabildo's
    creation of the IMPLAN, eight years before the story."""
    year = dates.year - 8
    decided_at = datetime.datetime(year, 3, 14, 11, 0, tzinfo=TZ)
    text = (
        "El H. Ayuntamiento aprueba la creación del Instituto Municipal de Planeación como "
        "organismo público descentralizado y ordena su publicación en el Periódico Oficial."
    )
    scan = render_pdf(
        "committees/pdf/historical_scan.html",
        {"key": f"CAB/{year}/ORD-05/03", "date": decided_at, "text": text},
    )
    return services.agreement_record_historical(
        body=cabildo,
        session_kind=Session.Kind.ORDINARY,
        session_number=5,
        decided_at=decided_at,
        key=f"CAB/{year}/ORD-05/03",
        title="Creación del Instituto Municipal de Planeación",
        text=text,
        agreement_type=AgreementType.objects.get(code="general"),
        approved=True,
        subject=None,
        scanned_document=ContentFile(scan, name="acuerdo-creacion-implan.pdf"),
    )


def session_held(
    body: Body,
    starts_at: datetime.datetime,
    items,
    *,
    notice_days: int = 5,
    choices=None,
    minutes_per_item: int = 15,
    closes_after: int = 30,
) -> None:
    """A session of `body` held at `starts_at` (extraordinary for the Cabildo, ordinary for any
    other body) that votes by roll call each (title, draft text, subject) of `items`, every
    member with a vote present; each agreement reaches its subject through committees' hook.
    The demos of higher apps (a phase gate, a POA) decide their subjects with it.

    `choices(k, members)` is the vote of the k-th of `members` seats (default: all in favour,
    two abstentions in the Cabildo). The notice goes out `notice_days` before; the k-th vote
    closes `minutes_per_item` × k minutes after the start and the session `closes_after`
    minutes after the last vote."""
    members = list(
        Member.objects.current(starts_at.date())
        .filter(body=body, has_vote=True)
        .select_related("user")
        .order_by("pk")
    )
    council = body.kind == Body.Kind.CABILDO
    if choices is None:
        abstaining = 2 if council else 0

        def choices(k: int, count: int) -> Choice:
            return Choice.FOR if k < count - abstaining else Choice.ABSTAIN

    session = services.session_schedule(
        body=body,
        kind=Session.Kind.EXTRAORDINARY if council else Session.Kind.ORDINARY,
        starts_at=starts_at,
        place="Sala de Cabildo" if council else "Sala de juntas del IMPLAN",
    )
    general = AgreementType.objects.get(code="general")
    agenda = [
        services.item_add(
            session=session, title=title, draft_text=text, agreement_type=general, subject=subject
        )
        for title, text, subject in items
    ]
    services.session_convene(session=session, now=starts_at - datetime.timedelta(days=notice_days))
    services.session_install(session=session, present=members, at=starts_at)
    for n, item in enumerate(agenda, start=1):
        vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
        for k, member in enumerate(members):
            services.vote_cast(vote=vote, user=member.user, choice=choices(k, len(members)))
        services.vote_close(
            vote=vote, at=starts_at + datetime.timedelta(minutes=minutes_per_item * n)
        )
    services.session_close(
        session=session,
        at=starts_at + datetime.timedelta(minutes=minutes_per_item * len(agenda) + closes_after),
    )
