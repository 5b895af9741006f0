"""Hostile input on every staff form (issue 9, "Bad input").

The forms come from the URL configuration, as in the permission matrix
(tests/security/test_permission_matrix.py, whose table of URLs and demo records this reuses):
every internal page is rendered for the IMPLAN administrator with the demo data, the POST forms
are read out of its HTML (with the Django form fields of its context, for their types), and
every URL that one of them posts to is fuzzed. Records in the states that show the forms the
demo's do not (a draft POA, an installed session, a vote open...) are made first with the apps'
services, and states that cannot stand beside the demo's (its phases unprepared, its open phase
ready to close, its consultation ended or closed) in SCENES, rolled back after use. A new form
page joins by itself; a URL the administrator may POST to whose form is found on no page must
be listed in NOT_FUZZED.

Each form gets explicit examples first, on every run: the failures the fuzzing ever found
(form_values.PINNED) and one example per hostile category (hostile.CATEGORIES: markup,
SQL-looking and template text, format strings, bidi and zero-width characters, huge and
non-finite numbers, impossible dates, invalid choices, mislabelled files) in the fields of its
kind, valid values elsewhere. Then hypothesis' examples, values chosen by the kind of field.
Each must end in one of two ways:
- refused: never a server error, a Spanish message on the page (the form's errors or a
  message after a redirect), and the contents of every table unchanged, history included;
- saved: every record written (added or edited) passes `full_clean`, and neither the page the
  browser is sent to nor the form page shows the hostile markup unescaped.
Each example runs in a savepoint rolled back afterwards, so every one starts from the demo.
"""

import datetime
import re
import traceback
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django import forms as django_forms
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.test import Client, override_settings
from django.test.utils import ContextList
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import given

from pmot.actors.models import User
from tests.fuzz import form_values, hostile
from tests.security.test_permission_matrix import EXPECTED, GET_ONLY, POST_ONLY

pytestmark = pytest.mark.django_db

PERSONA = "admin"
PAGES_PER_NAME = 6
SKIPPED_PAGES = ("_export", "_pdf", "_download", "_document", "_report", "_evidence", "_template")
LINK = re.compile(r'href="([^"?]+)')
EXAMPLES = 3

# URLs the administrator may POST to that are not fuzzed here, with the reason.
NOT_FUZZED = {
    "actors:memberships_sync_now": "a button: reads the directory, takes no input",
    "budgeting:poa_table_pdf": "a PDF request: the table's filters are a GET form",
    "budgeting:modification_authorize": "a button: authorizes a transfer, takes no input",
    "budgeting:modification_reject": (
        "shown only while a modification waits for the office that holds the budget, and the "
        "demo's are decided; its one field (the reason) is tested in "
        "tests/budgeting/test_four_eyes.py"
    ),
    "evaluation:indicator_sheet_pdf": "a PDF request with no input",
    "evaluation:quarterly_report_pdf": "a PDF request with no input",
    "portal:handover_administration": "a PDF bundle request with no input",
    "budgeting:poa_import": "fuzzed with files in test_imports.py",
    "planning:plan_import": "fuzzed with files in test_imports.py",
    "information:unit_import": "fuzzed with files in test_imports.py",
}


def target_names() -> list[str]:
    """URL names the persona may POST to, from the permission matrix's table."""
    names = []
    for name, (_fill, get_allowed, post_allowed) in EXPECTED.items():
        allowed = get_allowed if post_allowed is GET_ONLY else post_allowed
        if allowed and PERSONA in allowed and post_allowed is not GET_ONLY:
            names.append(name)
    return sorted(names)


def page_names() -> list[str]:
    return sorted(
        name
        for name, (_fill, get_allowed, _post) in EXPECTED.items()
        if get_allowed is not POST_ONLY and PERSONA in get_allowed
    )


def admin_client() -> Client:
    """The administrator, past both steps of login (also outside a test's own fixtures)."""
    from pmot.actors import two_factor

    client = Client()
    client.force_login(User.objects.get(username=PERSONA))
    session = client.session
    session[two_factor.SESSION_KEY] = f"{two_factor.VERIFIED_PREFIX}tests"
    session.save()
    return client


def url_name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def context_values(response) -> list:
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, ContextList):
        contexts = [contexts]
    values = []
    for context in contexts:
        values.extend(context.flatten().values())
    return values


def context_fields(response) -> dict[str, django_forms.Field]:
    """The Django form fields on a page by their HTML name (formsets included)."""
    found: dict[str, django_forms.Field] = {}

    def add(form):
        if isinstance(form, BaseFormSet):
            add(form.management_form)
            for inner in form.forms:
                add(inner)
            return
        for bound in form:
            found.setdefault(bound.html_name, bound.field)

    for value in context_values(response):
        if isinstance(value, django_forms.BaseForm | BaseFormSet):
            add(value)
        elif isinstance(value, list | tuple | dict):
            items = value.values() if isinstance(value, dict) else value
            for item in items:
                if isinstance(item, django_forms.BaseForm | BaseFormSet):
                    add(item)
    return found


def shape(form: hostile.HtmlForm) -> set[str]:
    """The field names of a form, ids left out (the movement form of each budget line)."""
    return {re.sub(r"\d+", "#", name) for name in form.fields}


# --- Records in the states that show the other forms ------------------------------------------


def state_pages() -> list[str]:
    """Records in the states whose forms the demo's pages do not show, made with the apps' own
    services, and the pages that show them (queued first by the crawl): a draft POA with a
    draft action aligned (submit both; align it, with a plan chosen), a submitted POA (return
    it), two installed sessions of
    the Cabildo (one with an item to put to a vote, one with a vote open), a plan element with
    another plan chosen to align it to, and the demo's measurement due and deliverables in
    review, validated, observed and in draft."""
    from budgeting.models import ProgramModality
    from budgeting.services import poa as poa_services
    from committees import services as committees
    from committees.models import AgreementType, Body, Member
    from evaluation.models import Measurement
    from phases.models import Deliverable
    from pmot.actors.models import Organization
    from pmot.planning.models import Plan, PlanElement

    pages = []
    # budgeting: a draft POA, and in it a draft action aligned to the PMOT; and a POA submitted
    # to the Cabildo (the demo has one only in the days before its approval). Years after the
    # demo's, whatever the day.
    element = PlanElement.objects.filter(plan__order__in=poa_services.ALIGNABLE_ORDERS).first()
    year = timezone.localdate().year
    for offset, submitted in ((4, False), (5, True)):
        poa = poa_services.poa_create(fiscal_year=year + offset)
        action = poa_services.action_save(
            poa=poa,
            key="FZ-01",
            name="Acción en borrador",
            kind="public_works",
            responsible=Organization.objects.order_by("pk").first(),
            modality=ProgramModality.objects.get(key="K"),
            target=Decimal("100"),
            target_unit="metros",
            calendar_kind="quarterly",
            calendar=[Decimal("25")] * 4,
        )
        poa_services.action_align(action=action, elements=[element])
        pages.append(reverse("budgeting:poa_detail", kwargs={"pk": poa.pk}))
        if submitted:
            poa_services.poa_submit(poa=poa)
        else:
            action_page = reverse("budgeting:action_detail", kwargs={"pk": action.pk})
            pages.append(f"{action_page}?plan={element.plan.key}")
    # committees: two sessions of the Cabildo installed, a vote open in the second
    body = Body.objects.filter(kind=Body.Kind.CABILDO).order_by("pk").first()
    general = AgreementType.objects.get(code="general")
    now = timezone.now()
    for days, vote in ((20, False), (21, True)):
        session = committees.session_schedule(
            body=body,
            kind="ordinary",
            starts_at=now + datetime.timedelta(days=days),
            place="Sala de Cabildo",
        )
        item = committees.item_add(
            session=session, title="Punto", draft_text="Se aprueba.", agreement_type=general
        )
        committees.session_convene(session=session, now=now)
        day = timezone.localtime(session.starts_at).date()
        committees.session_install(
            session=session,
            present=list(Member.objects.current(day).filter(body=body)),
            at=session.starts_at,
        )
        pages.append(reverse("committees:session_detail", kwargs={"pk": session.pk}))
        if vote:
            opened = committees.vote_open(item=item, method="nominal")
            pages.append(reverse("committees:vote_detail", kwargs={"pk": opened.pk}))
    # planning: an element with another plan chosen to align it to
    element = PlanElement.objects.exclude(plan__key="").order_by("pk").first()
    other = Plan.objects.exclude(pk=element.plan_id).exclude(key="").order_by("pk").first()
    pages.append(
        reverse("planning:element_detail", kwargs={"key": element.plan.key, "pk": element.pk})
        + f"?con={other.key}"
    )
    # evaluation: a measurement of an ended period, not validated (reported again)
    today = timezone.localdate()
    due = next(
        m
        for m in Measurement.objects.exclude(status="validated").order_by("pk")
        if m.period.end < today
    )
    pages.append(
        reverse(
            "evaluation:measurement_report",
            kwargs={"pk": due.indicator_id, "year": due.year, "number": due.number},
        )
    )
    # phases: the demo's deliverables in review, validated, observed and in draft
    for status in ("in_review", "validated", "observed", "draft"):
        deliverable = Deliverable.objects.filter(status=status).order_by("pk").first()
        pages.append(reverse("phases:deliverable_detail", kwargs={"pk": deliverable.pk}))
    return pages


def unprepared_phases() -> list[str]:
    """The program's phases not prepared yet (the demo's moved to another program)."""
    from phases.models import Phase
    from pmot.planning.models import Program
    from pmot.planning.selectors import the_program

    program = the_program()
    elsewhere = Program.objects.create(name="Otro programa", horizon_year=2050)
    Phase.objects.filter(program=program).update(program=elsewhere)
    return [reverse("phases:phase_list")]


def ended_consultation() -> list[str]:
    """The demo's consultation past its last day, not closed yet."""
    from phases.models import Consultation

    consultation = Consultation.objects.order_by("pk").first()
    today = timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=1)
    )
    return [reverse("phases:consultation_detail", kwargs={"pk": consultation.pk})]


def closed_consultation() -> list[str]:
    """The demo's consultation closed, its answers not published yet."""
    from phases.models import Consultation

    pages = ended_consultation()
    consultation = Consultation.objects.order_by("pk").first()
    consultation.closed_at = timezone.now()
    consultation.answers_published_at = None
    consultation.save(update_fields=["closed_at", "answers_published_at"])
    return pages


# States that cannot stand beside the demo's (its program's phases unprepared; its
# consultation ended or closed): each is made in a savepoint rolled back after its pages are
# read, and again around the examples of the forms found on them.
SCENES = {
    "unprepared phases": unprepared_phases,
    "ended consultation": ended_consultation,
    "closed consultation": closed_consultation,
}


class World:
    """The demo, and the forms of its pages by the URL name they post to."""

    def __init__(self):
        # target URL name -> (page, form, its fields, the scene it was found in or None)
        self.forms: dict[str, list[tuple[str, hostile.HtmlForm, dict, str | None]]] = {}
        # URL name -> what its explicit examples came to (explicit_results)
        self.explicit: dict[str, Explicit] = {}
        # the administrator, logged in once (a login writes the user's last login)
        self.client: Client | None = None
        self.demo: hostile.Contents | None = None

    def baseline(self, scene: str | None) -> hostile.Contents:
        """The tables' contents the examples of a form start from. Those of the demo as
        discovered are taken once: every test and example rolls its work back, and nothing
        else writes. A scene is taken each time it is made (its rows get new keys and times)."""
        if scene is not None:
            return hostile.Contents()
        if self.demo is None:
            self.demo = hostile.Contents()
        return self.demo

    def discover(self, first: list[str]):
        """Render the pages `first` (not counted, nor skipped as files), then every internal
        page of the matrix, then follow the links of the pages to other records (up to
        PAGES_PER_NAME pages of each URL name): records in other states show other forms (a
        draft POA, an open session, a vote under way). Then the pages of each scene, in it."""
        readable = set(page_names())
        queue = list(first)
        for name in sorted(readable):
            try:
                queue.append(reverse(name, kwargs=EXPECTED[name][0]()))
            except AssertionError:
                continue
        self.crawl(queue, readable, counted_after=len(first))
        for scene, make in SCENES.items():
            with transaction.atomic():
                self.crawl(make(), readable, scene=scene, follow=False)
                transaction.set_rollback(True)

    def crawl(self, queue, readable, *, counted_after=0, scene=None, follow=True):
        client = admin_client()
        visited: set[str] = set()
        per_name: dict[str, int] = {}
        while queue:
            url = queue.pop(0)
            counted = counted_after <= 0
            counted_after -= 1
            name = url_name_of(url)
            if url in visited or name not in readable or per_name.get(name, 0) >= PAGES_PER_NAME:
                continue
            if counted and name.endswith(SKIPPED_PAGES):
                continue
            visited.add(url)
            per_name[name] = per_name.get(name, 0) + counted
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            fields = context_fields(response)
            for form in hostile.post_forms(html, url):
                target = url_name_of(form.action)
                if target is None:
                    continue
                known = self.forms.setdefault(target, [])
                if all(shape(f) != shape(form) for _page, f, _fields, _scene in known):
                    known.append((url, form, fields, scene))
            if follow:
                queue.extend(
                    link.split("#")[0]
                    for link in LINK.findall(html)
                    if link.startswith("/") and link.split("#")[0] not in visited
                )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data loaded once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                PMOT_DEMO_DATA=True,
                SECURE_SSL_REDIRECT=False,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                call_command("load_demo", verbosity=0)
                world = World()
                world.discover(state_pages())
                world.client = admin_client()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- What comes back ---------------------------------------------------------------------------


def form_errors(response) -> list[str]:
    messages: list[str] = []

    def collect(form):
        if isinstance(form, BaseFormSet):
            messages.extend(str(e) for e in form.non_form_errors())
            collect(form.management_form)
            for inner in form.forms:
                collect(inner)
            return
        if form.is_bound:
            for errors in form.errors.values():
                messages.extend(str(e) for e in errors)

    seen = set()
    for value in context_values(response):
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, django_forms.BaseForm | BaseFormSet) and id(item) not in seen:
                seen.add(id(item))
                collect(item)
    return messages


def flash_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def check_markup(html: str, where: str) -> list[str]:
    return [
        f"{where}: the markup {marker!r} is shown unescaped"
        for marker in hostile.RAW_MARKUP
        if marker in html
    ]


def post_once(
    client: Client, url: str, page: str, data: dict, baseline: hostile.Contents
) -> tuple[str, list[str]]:
    """Post one example (in the example's savepoint): what it came to ("saved", "refused" or
    "error") and the problems seen (none when all is well). `baseline` holds the tables'
    contents every example starts from: the tables the POST wrote to are compared with it."""
    post, sent = form_values.encode(data)
    counts = hostile.write_counts()
    try:
        response = client.post(url, post)
    except Exception:  # noqa: BLE001 - a server error, reported with its traceback
        return "error", [f"server error:\n{traceback.format_exc(limit=-6)}"]
    status = response.status_code
    if status >= 500:
        return "error", [f"status {status}"]
    difference = baseline.changed_since(counts)
    if not difference:
        return "refused", refusal_problems(client, response, sent)
    problems: list[str] = []
    if status not in (200, 201, 302, 303):
        problems.append(f"answered {status} but tables changed: {sorted(difference)}")
    for record in baseline.written_records(difference):
        try:
            record.full_clean()
        except ValidationError as error:
            problems.append(f"saved an invalid {record._meta.label} {record.pk}: {error}")
    pages = [page]
    if status in (302, 303):
        pages.append(response["Location"])
    else:
        problems += check_markup(response.content.decode(), "the answer")
    for address in pages:
        shown = client.get(address)
        if shown.status_code >= 500:
            problems.append(f"{address} fails after the save: {shown.status_code}")
        elif shown.status_code == 200 and "html" in shown.get("Content-Type", ""):
            problems += check_markup(shown.content.decode(), address)
    return "saved", problems


def refusal_problems(client: Client, response, sent: list[str]) -> list[str]:
    """A refusal shows a Spanish message (the form's errors, or a message after a redirect)
    and no hostile markup."""
    problems = []
    status = response.status_code
    errors = form_errors(response) if status == 200 else []
    errors += flash_messages(response)
    if status == 302 and not errors:
        errors = flash_messages(client.get(response["Location"]))
    if status in (200, 302) and not errors:
        problems.append(f"answered {status} with no message and nothing saved")
    for message in errors:
        if not hostile.is_spanish(message, sent):
            problems.append(f"a message not in Spanish: {message!r}")
    if status == 200:
        problems += check_markup(response.content.decode(), "the refused form")
    return problems


def post_rolled_back(client, url_name, page, form, data, baseline) -> tuple[str, list[str]]:
    """One example in a savepoint rolled back afterwards: every one starts from the same
    tables. Its problems name the URL, the page and the data."""
    with transaction.atomic():
        outcome, found = post_once(client, form.action, page, data, baseline)
        transaction.set_rollback(True)
    if found:
        found = [f"POST {form.action} ({url_name}) from {page} with {data!r}:", *found]
    return outcome, found


def fuzz(client: Client, url_name: str, page: str, form: hostile.HtmlForm, fields: dict, baseline):
    """Post hypothesis' examples to one form; AssertionError names the first bad one."""
    if not [name for name in form.fields if name != "csrfmiddlewaretoken"]:
        return  # nothing to draw: its one explicit example posted it as it is

    @hostile.fuzz_settings(EXAMPLES)
    @given(data=form_values.form_data(form, fields))
    def run(data):
        _outcome, found = post_rolled_back(client, url_name, page, form, data, baseline)
        assert not found, "\n".join(found)

    run()


class Explicit:
    """What the explicit examples of a URL came to: each form's outcomes and the problems."""

    def __init__(self):
        self.outcomes: set[str] = set()
        self.problems: list[str] = []


def explicit_results(world: World, url_name: str) -> Explicit:
    """The explicit examples of every form posting to the URL (pins and hostile categories),
    posted once per module whichever test asks first: the fuzz test of the URL, or the check
    that the fuzz reaches both saves and refusals (which then needs no other test's run)."""
    if url_name in world.explicit:
        return world.explicit[url_name]
    result = Explicit()
    client = world.client
    for page, form, fields, scene in world.forms[url_name]:
        with transaction.atomic():
            if scene is not None:
                SCENES[scene]()
            baseline = world.baseline(scene)
            for what, data in form_values.explicit_examples(url_name, form, fields):
                outcome, found = post_rolled_back(client, url_name, page, form, data, baseline)
                result.outcomes.add(outcome)
                if found:
                    result.problems.append(f"explicit example ({what}): " + "\n".join(found))
            transaction.set_rollback(True)
    world.explicit[url_name] = result
    return result


def test_every_form_the_administrator_may_post_is_found(world):
    missing = sorted(set(target_names()) - set(world.forms) - set(NOT_FUZZED))
    assert not missing, f"no page shows a form for these URLs: add them to NOT_FUZZED: {missing}"


FUZZED = sorted(set(target_names()) - set(NOT_FUZZED))


def test_every_pinned_example_reaches_a_form(world):
    """A pin lost to a renamed URL or field would silently stop replaying its failure."""
    lost = [
        (url_name, overrides)
        for url_name, pins in form_values.PINNED.items()
        for overrides in pins
        if not any(
            overrides.keys() <= form.fields.keys()
            for _p, form, _f, _s in world.forms.get(url_name, [])
        )
    ]
    assert not lost, f"pinned examples no form takes: {lost}"


@pytest.mark.parametrize("url_name", FUZZED)
def test_hostile_input_is_refused_in_spanish_or_saved_valid(world, url_name):
    assert url_name in world.forms, f"no page shows a form posting to {url_name}"
    problems = list(explicit_results(world, url_name).problems)
    client = world.client
    for page, form, fields, scene in world.forms[url_name]:
        with transaction.atomic():
            if scene is not None:
                SCENES[scene]()
            try:
                fuzz(client, url_name, page, form, fields, world.baseline(scene))
            except AssertionError as error:
                problems.append(str(error))
            transaction.set_rollback(True)
    assert not problems, "\n\n".join(problems)


def test_the_fuzzing_reaches_both_saves_and_refusals(world):
    """Valid values carrying markup are saved and hostile ones refused: the explicit examples
    reach both ends (the checks of a save and of a refusal are not left idle), in any order of
    the tests and with any of them run alone."""
    outcomes = {name: explicit_results(world, name).outcomes for name in FUZZED}
    saved = sorted(name for name, seen in outcomes.items() if "saved" in seen)
    refused = sorted(name for name, seen in outcomes.items() if "refused" in seen)
    assert len(saved) >= len(outcomes) // 2, f"saved only through {saved}"
    assert len(refused) >= len(outcomes) * 3 // 4, f"refused only through {refused}"
