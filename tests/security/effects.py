"""What a POST did to the database, read from the rows themselves.

- `contents()` reads every table a page could change (history included; not sessions, the
  security log, the login lock-out records or Django's own bookkeeping), row by row, so two
  readings compare contents, not counts: a refused POST must leave them equal.
- `Created`, `Updated` and `Deleted` say which row an allowed POST should change and how; `check`
  reads the rows of each named model before and after the POST and says what is missing.
- `accepted(response)`: a page served after a POST: 200, or a redirect that is not the login
  page, the second step of login, nor a page that carries an error message (how the apps refuse
  what a rule forbids, `pmot/core/feedback.py`), a 200 form page that shows one included.
"""

import datetime
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.base import BaseStorage, Message
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.forms.formsets import BaseFormSet
from django.test.utils import ContextList

from tests.uploads import pdf_bytes

LOGIN = "/acceso/"
SECOND_STEP = "/cuenta/verificacion/"

# Tables a request writes whatever it is (the login session, the security log of refusals,
# django-axes' lock-out records, content types and the admin's own log).
NOT_COMPARED = ("sessions.", "admin.", "axes.", "contenttypes.", "actors.accessevent")


def compared_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.label_lower.startswith(NOT_COMPARED) and model._meta.managed
    ]


def contents() -> dict[str, str]:
    """Every compared table as text, one line a row, in one query on PostgreSQL."""
    if connection.vendor != "postgresql":
        return {
            model._meta.db_table: "\n".join(sorted(map(repr, model._base_manager.values_list())))
            for model in compared_models()
        }
    tables = sorted({model._meta.db_table for model in compared_models()})
    quote = connection.ops.quote_name
    # Table names come from the models, quoted: no outside input reaches this query.
    select = "SELECT %s::text, coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {} t"
    query = " UNION ALL ".join(select.format(quote(table)) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return dict(cursor.fetchall())


def contents_changed(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """The tables whose rows differ, each with its first differing line before and after."""
    changed = {}
    for table, text in after.items():
        if before.get(table) != text:
            old, new = set(before.get(table, "").splitlines()), set(text.splitlines())
            changed[table] = f"gone {sorted(old - new)[:1]}, new {sorted(new - old)[:1]}"
    return changed


def rows(model: type[Model]) -> dict[object, dict]:
    return {row["pk"]: row for row in model.objects.values("pk", *_field_names(model))}


def _field_names(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname != "id"]


def _matches(row: dict, wanted: dict) -> list[str]:
    """The fields of `row` that do not hold what `wanted` says (a value, or a test of it)."""
    wrong = []
    for name, expected in wanted.items():
        value = row.get(name)
        ok = expected(value) if callable(expected) else value == expected
        if not ok:
            wrong.append(f"{name}={value!r}")
    return wrong


@dataclass
class Created:
    """A new row of `model` holding `fields` (attribute names: `poa_id`, not `poa`)."""

    model: type[Model]
    fields: dict = field(default_factory=dict)

    def __init__(self, model, **fields):
        self.model, self.fields = model, fields

    def problem(self, before: dict, after: dict) -> str | None:
        new = [row for pk, row in after.items() if pk not in before]
        if not new:
            return f"no {self.model.__name__} created"
        if not any(not _matches(row, self.fields) for row in new):
            return f"{self.model.__name__} created, but {_matches(new[0], self.fields)}"
        return None


@dataclass
class Updated:
    """The row `pk` of `model` changed and now holds `fields`."""

    model: type[Model]
    pk: object
    fields: dict = field(default_factory=dict)

    def __init__(self, model, pk, **fields):
        self.model, self.pk, self.fields = model, pk, fields

    def problem(self, before: dict, after: dict) -> str | None:
        name = f"{self.model.__name__} {self.pk}"
        if self.pk not in after:
            return f"{name} is gone"
        if before.get(self.pk) == after[self.pk]:
            return f"{name} unchanged"
        wrong = _matches(after[self.pk], self.fields)
        return f"{name} changed, but {wrong}" if wrong else None


@dataclass
class Deleted:
    model: type[Model]
    pk: object

    def problem(self, before: dict, after: dict) -> str | None:
        return f"{self.model.__name__} {self.pk} still there" if self.pk in after else None


Effect = Created | Updated | Deleted


@dataclass
class Post:
    """A POST that those allowed may make and that then does `effects`."""

    kwargs: dict
    data: dict
    effects: list[Effect]
    # What differs for one persona allowed (an organization-bound one files for its own).
    per_persona: dict[str, dict] = field(default_factory=dict)

    def fresh_data(self, username: str | None = None) -> dict:
        """The data again, its files rewound (the client read them in the last POST)."""
        data = self.data | self.per_persona.get(username, {})
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)
        return data


def check(post: Post, send: Callable[[dict], object], username: str) -> tuple[object, list[str]]:
    """Send the POST as `username` and say which of its effects are missing."""
    models = {effect.model for effect in post.effects}
    before = {model: rows(model) for model in models}
    with recording_messages():
        response = send(post.fresh_data(username))
    after = {model: rows(model) for model in models}
    problems = [
        problem
        for effect in post.effects
        if (problem := effect.problem(before[effect.model], after[effect.model]))
    ]
    return response, problems


@contextmanager
def recording_messages():
    """Keep on each request's message storage the messages added while it was served: a page
    rendered with 200 shows (and so takes out of the queue) those it was given, and the
    refusal it shows must still count as one."""
    add = BaseStorage.add

    def record(self, level, message, extra_tags=""):
        self.__dict__.setdefault("added_here", []).append(Message(level, message, extra_tags))
        return add(self, level, message, extra_tags)

    with mock.patch.object(BaseStorage, "add", record):
        yield


def refused_by_message(response) -> list[str]:
    """The warnings and errors this response added (not those left unread by earlier ones,
    which the client keeps since it does not follow redirects). Under `recording_messages`,
    also those a page rendered with 200 already showed."""
    storage = get_messages(response.wsgi_request)
    added = getattr(storage, "added_here", storage._queued_messages)
    return [str(message) for message in added if message.level >= messages.WARNING]


def form_errors(response) -> dict:
    """The errors of the forms on a page answered with 200, to say why nothing was saved."""
    if response.status_code == 302:
        return {}
    errors = {
        name: errors
        for form in _forms_in(response)
        if getattr(form, "is_bound", False)
        for name, errors in form.errors.items()
    }
    if response.context is not None and response.context.get("problems"):
        errors["problems"] = response.context["problems"][:3]
    if not errors:  # a page whose form is not in its context: its error lists
        errors["page"] = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode())
    return errors


def accepted(response) -> bool:
    if refused_by_message(response):
        return False
    if response.status_code == 200:
        return True
    if response.status_code != 302:
        return False
    return not response["Location"].startswith((LOGIN, SECOND_STEP))


# --- The forms of a page, as a browser would send them untouched ------------------------------


def _forms_in(response) -> list[forms.BaseForm]:
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, ContextList):
        contexts = [contexts]
    found = []
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseFormSet):
                found += [value.management_form, *value.forms]
            elif isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def _as_posted(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, Decimal | int | float | datetime.date | str):
        return str(value)
    return None if value is None else str(getattr(value, "pk", value))


def page_forms(client, url: str, *, context_name: str | None = None) -> dict:
    """The values the forms of a page hold when it is shown (one form: `context_name`)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    chosen = [response.context[context_name]] if context_name is not None else _forms_in(response)
    data = {}
    for form in chosen:
        for bound in form:
            value = _as_posted(bound.value())
            if value is not None and value != "":
                data[bound.html_name] = value
    return data


PDF = pdf_bytes("pmot permission matrix")


def a_pdf(name: str = "documento.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
