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

Each example posts hypothesis-generated values chosen by the kind of field (hostile text,
markup, SQL-looking strings, Unicode, huge and non-finite numbers, impossible dates, valid and
invalid choices, mislabelled files) and must end in one of two ways:
- refused: never a server error, a Spanish message on the page (the form's errors or a
  message after a redirect), and no row of any table changed, history included;
- saved: every record written passes `full_clean`, and neither the page the browser is sent to
  nor the form page shows the hostile markup unescaped.
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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.test import Client, override_settings
from django.test.utils import ContextList
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from pmot.actors.models import User
from tests.fuzz import hostile
from tests.security.test_permission_matrix import EXPECTED, GET_ONLY, POST_ONLY

pytestmark = pytest.mark.django_db

PERSONA = "admin"
PAGES_PER_NAME = 6
SKIPPED_PAGES = ("_export", "_pdf", "_download", "_document", "_report", "_evidence", "_template")
LINK = re.compile(r'href="([^"?]+)')
EXAMPLES = 8

# URL name -> what its examples came to ("saved", "refused"), for the last test.
OUTCOMES: dict[str, set[str]] = {}
NO_STATE = "no demo record in the state that shows the form"
# URLs the administrator may POST to that are not fuzzed here, with the reason.
NOT_FUZZED = {
    "actors:memberships_sync_now": "a button: reads the directory, takes no input",
    "budgeting:poa_table_pdf": "a PDF request: the table's filters are a GET form",
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
    draft action aligned (submit both; align it, with a plan chosen), two installed sessions of
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
    # budgeting: a draft POA, and in it a draft action aligned to the PMOT
    poa = poa_services.poa_create(fiscal_year=2030)
    element = PlanElement.objects.filter(plan__order__in=poa_services.ALIGNABLE_ORDERS).first()
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
    pages += [
        reverse("budgeting:poa_detail", kwargs={"pk": poa.pk}),
        reverse("budgeting:action_detail", kwargs={"pk": action.pk}) + f"?plan={element.plan.key}",
    ]
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
            session=session, present=list(Member.objects.current(day).filter(body=body))
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


def closable_phase() -> list[str]:
    """The open phase with every required deliverable accepted (the missing ones added)."""
    from phases.models import Deliverable, DeliverableType, Phase
    from phases.services import work

    phase = Phase.objects.get(status="open")
    present = set(phase.deliverables.values_list("kind_id", flat=True))
    model = phase.deliverables.order_by("pk").first()
    for kind in DeliverableType.objects.filter(phase_number=phase.number, required=True):
        if kind.pk not in present:
            work.deliverable_add(
                phase=phase, kind=kind, responsible=model.responsible, author=model.author
            )
    # Reviewing each through its versions is the phases tests' business: accepted here at once.
    Deliverable.objects.filter(phase=phase).update(status="accepted")
    assert not work.gate(phase).work_missing
    return [reverse("phases:phase_detail", kwargs={"number": phase.number})]


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


# States that cannot stand beside the demo's (its program's phases unprepared; its open phase
# ready to close; its consultation ended or closed): each is made in a savepoint rolled back
# after its pages are read, and again around the examples of the forms found on them.
SCENES = {
    "unprepared phases": unprepared_phases,
    "closable phase": closable_phase,
    "ended consultation": ended_consultation,
    "closed consultation": closed_consultation,
}


class World:
    """The demo, and the forms of its pages by the URL name they post to."""

    def __init__(self):
        # target URL name -> (page, form, its fields, the scene it was found in or None)
        self.forms: dict[str, list[tuple[str, hostile.HtmlForm, dict, str | None]]] = {}

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
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Values by kind of field -------------------------------------------------------------------


def valid_strategy(name: str, kind: str, default: str, options: list[str], field):
    """A value the field should take (text with markup included: it is stored as text)."""
    keep = st.just(default)
    if name == "csrfmiddlewaretoken" or (kind == "hidden" and field is None):
        return keep
    if name.endswith(("_FORMS",)):
        return keep
    if isinstance(field, django_forms.FileField) or kind == "file":
        return st.sampled_from([None, ("informe.pdf", hostile.PDF), ("foto.png", hostile.PNG)])
    if isinstance(field, django_forms.BooleanField) or kind == "checkbox":
        return st.sampled_from(["on", ""])
    valid = [option for option in options if option]
    if isinstance(field, django_forms.ModelMultipleChoiceField | django_forms.MultipleChoiceField):
        return st.lists(st.sampled_from(valid), max_size=2, unique=True) if valid else st.just([])
    if isinstance(field, django_forms.ChoiceField) or kind in ("select", "radio", "checkboxes"):
        return st.sampled_from(valid) if valid else keep
    if isinstance(field, django_forms.DateTimeField) or kind == "datetime-local":
        return st.sampled_from([default or "2026-03-15T10:00", "2026-06-01T18:30"])
    if isinstance(field, django_forms.DateField) or kind == "date":
        return st.sampled_from([default or "2026-03-15", "2026-06-01", "2026-12-31"])
    if isinstance(field, django_forms.IntegerField | django_forms.DecimalField) or kind == "number":
        return st.sampled_from([default or "1", "1", "10", "2026", "0.5"])
    if isinstance(field, django_forms.EmailField) or kind == "email":
        return st.sampled_from(["", "enlace@example.org"])
    if isinstance(field, django_forms.URLField) or kind == "url":
        return st.sampled_from(["", "https://example.org/"])
    if default:
        return st.one_of(keep, hostile.VALID_TEXT)
    return hostile.VALID_TEXT


def hostile_strategy(name: str, kind: str, default: str, options: list[str], field):
    """A hostile value of the field's kind."""
    if name == "csrfmiddlewaretoken":
        return st.just(default)
    if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
        return st.one_of(hostile.INVALID_CHOICES, hostile.HUGE_NUMBERS)
    if isinstance(field, django_forms.FileField) or kind == "file":
        return hostile.FILES
    if isinstance(field, django_forms.BooleanField) or kind == "checkbox":
        return st.sampled_from(["false", "0", hostile.SCRIPT])
    if isinstance(field, django_forms.ModelMultipleChoiceField | django_forms.MultipleChoiceField):
        valid = [option for option in options if option]
        choices = hostile.INVALID_CHOICES
        if valid:
            choices = st.one_of(st.sampled_from(valid), hostile.INVALID_CHOICES)
        return st.lists(choices, min_size=1, max_size=3)
    if isinstance(field, django_forms.ChoiceField) or kind in ("select", "radio", "checkboxes"):
        return st.one_of(st.just(""), hostile.INVALID_CHOICES)
    if isinstance(field, django_forms.DateTimeField) or kind == "datetime-local":
        return hostile.DATETIMES
    if isinstance(field, django_forms.DateField) or kind == "date":
        return hostile.DATES
    if isinstance(field, django_forms.IntegerField | django_forms.DecimalField) or kind == "number":
        return hostile.NUMBERS
    if kind == "hidden" and field is None:
        return st.one_of(hostile.INVALID_CHOICES, hostile.HOSTILE_TEXT)
    return hostile.HOSTILE_TEXT


@st.composite
def form_data(draw, form: hostile.HtmlForm, fields: dict):
    """Valid values (markup in the text), or valid values but for one or two hostile fields,
    or hostile values everywhere."""
    names = list(form.fields)
    mode = draw(st.sampled_from(["valid", "some", "some", "hostile"]))
    if mode == "hostile":
        bad = set(names)
    elif mode == "some" and names:
        bad = draw(st.sets(st.sampled_from(names), min_size=1, max_size=2))
    else:
        bad = set()
    data = {}
    for name, (kind, default, options) in form.fields.items():
        make = hostile_strategy if name in bad else valid_strategy
        data[name] = draw(make(name, kind, default, options, fields.get(name)))
    return data


def encode(data: dict) -> tuple[dict, list[str]]:
    """POST data for the test client (files as uploads), and the texts sent, to recognise
    them quoted back in a message."""
    post, sent = {}, []
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            filename, content = value
            post[name] = SimpleUploadedFile(filename, content)
            sent.append(filename)
        elif isinstance(value, list):
            post[name] = value
            sent.extend(value)
        else:
            post[name] = value
            sent.append(value)
    return post, sent


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


def saved_records(before: dict, after: dict) -> list:
    """The records the POST wrote: the newest rows of each table that grew, and the records
    whose history grew (an edit)."""
    from django.apps import apps

    records = []
    for label, (old, new) in hostile.changed(before, after).items():
        model = apps.get_model(label)
        grown = max(new - old, 0)
        if not grown:
            continue
        newest = list(model.objects.order_by("-pk")[:grown])
        instance_type = getattr(model, "instance_type", None)
        if label.split(".")[1].startswith("historical"):
            # an edit: the record the history row is of (m2m history rows name none)
            if instance_type is not None and hasattr(model, "history_type"):
                ids = [row.id for row in newest if row.history_type != "-"]
                records.extend(instance_type._default_manager.filter(pk__in=ids))
        else:
            records.extend(newest)
    return records


def check_markup(html: str, where: str) -> list[str]:
    return [
        f"{where}: the markup {marker!r} is shown unescaped"
        for marker in hostile.RAW_MARKUP
        if marker in html
    ]


def post_once(client: Client, url: str, page: str, post: dict, sent: list[str]) -> list[str]:
    """Post one example; the problems seen (empty when all is well)."""
    problems: list[str] = []
    before = hostile.row_counts()
    try:
        response = client.post(url, post)
    except Exception:  # noqa: BLE001 - a server error, reported with its traceback
        return [f"server error:\n{traceback.format_exc(limit=-6)}"]
    after = hostile.row_counts()
    status = response.status_code
    if status >= 500:
        return [f"status {status}"]
    difference = hostile.changed(before, after)
    OUTCOMES.setdefault(url_name_of(url), set()).add("saved" if difference else "refused")
    if not difference:
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
    if status not in (200, 201, 302, 303):
        problems.append(f"answered {status} but rows changed: {difference}")
    for record in saved_records(before, after):
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
    return problems


def fuzz(client: Client, page: str, form: hostile.HtmlForm, fields: dict) -> None:
    """Post hypothesis' examples to one form; AssertionError names the first bad one."""
    fuzzable = [name for name in form.fields if name != "csrfmiddlewaretoken"]

    @hostile.fuzz_settings(EXAMPLES if fuzzable else 2)
    @given(data=form_data(form, fields))
    def run(data):
        post, sent = encode(data)
        with transaction.atomic():
            found = post_once(client, form.action, page, post, sent)
            transaction.set_rollback(True)
        assert not found, f"POST {form.action} from {page} with {data!r}:\n" + "\n".join(found)

    run()


def test_every_form_the_administrator_may_post_is_found(world):
    missing = sorted(set(target_names()) - set(world.forms) - set(NOT_FUZZED))
    assert not missing, f"no page shows a form for these URLs: add them to NOT_FUZZED: {missing}"


FUZZED = sorted(set(target_names()) - {n for n, why in NOT_FUZZED.items() if why != NO_STATE})


@pytest.mark.parametrize("url_name", FUZZED)
def test_hostile_input_is_refused_in_spanish_or_saved_valid(world, url_name):
    if url_name not in world.forms:
        if NOT_FUZZED.get(url_name) == NO_STATE:
            pytest.skip(NO_STATE)
        pytest.fail(f"no page shows a form posting to {url_name}")
    client = admin_client()
    problems: list[str] = []
    for page, form, fields, scene in world.forms[url_name]:
        with transaction.atomic():
            if scene is not None:
                SCENES[scene]()
            try:
                fuzz(client, page, form, fields)
            except AssertionError as error:
                problems.append(str(error))
            transaction.set_rollback(True)
    assert not problems, "\n\n".join(problems)


def test_the_fuzzing_reached_both_saves_and_refusals():
    """Examples of valid values carrying markup are saved, hostile ones refused: the tests
    above looked at both ends (run after them, in the same process)."""
    if len(OUTCOMES) < 20:
        pytest.skip("only a few forms were fuzzed in this run")
    saved = sorted(name for name, seen in OUTCOMES.items() if "saved" in seen)
    refused = [name for name, seen in OUTCOMES.items() if "refused" in seen]
    assert len(saved) >= len(OUTCOMES) // 2, f"saved only through {saved}"
    assert len(refused) >= len(OUTCOMES) * 3 // 4
