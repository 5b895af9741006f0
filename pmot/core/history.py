"""Who wrote a history row outside a request, when records last changed, and a record's
history as its "Historial" page shows it."""

import datetime
import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from simple_history import utils
from simple_history.models import HistoricalRecords

from pmot.core import formatting


@contextmanager
def acting_as(user):
    """Record `user` as the author of every history row written inside the block.

    Requests get this from simple-history's middleware; tasks and commands have no request,
    so the job runner and the demo-data command say who acts. `None` means the system.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is None:
            if hasattr(context, "request"):
                del context.request
        else:
            context.request = previous


def last_changed(*querysets) -> datetime.datetime | None:
    """When any record of these querysets last changed, from their history: the "last update"
    date every public page shows. One query per queryset, whatever its size."""
    latest = None
    for queryset in querysets:
        history = queryset.model.history
        pk_name = queryset.model._meta.pk.attname
        found = history.filter(**{f"{pk_name}__in": queryset.values("pk")}).aggregate(
            at=Max("history_date")
        )["at"]
        if found is not None and (latest is None or found > latest):
            latest = found
    return latest


# --- A record's history, as its "Historial" page shows it ----------------------------------------
# Each app names, as `Source`s, the rows besides the record's own that make its history: those
# of its dependent rows that have no page of their own. `history_entries` reads one page of all
# of them, newest first, in a number of queries that depends on the sources, never on the rows:
# one for the page, one for the count, then per source its rows, their previous versions and
# their many-to-many snapshots, and one per model that a changed field points at.

PER_PAGE = 25
TEXT_LIMIT = 160  # characters of a long text shown before it is cut
# Money is a DecimalField of this shape in every app (budgeting's and evaluation's MONEY);
# no other figure has it.
MONEY_SHAPE = (16, 2)
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class Source:
    """The historical rows of one model that belong to a record's history
    (`BudgetLine.history.filter(action_id=pk)`), and how to name the record each is about
    (`describe(row)`, from the row's own fields and what `rows` selects related; None names
    it by its model and number)."""

    rows: QuerySet
    describe: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    who: str
    kind: str  # "+", "~" or "-"
    about: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def history_entries(record, dependents: list[Source], page_number) -> tuple[Page, list[Entry]]:
    """One page of the history of `record` and of its `dependents`, newest first."""
    sources = [Source(type(record).history.filter(id=record.pk)), *dependents]
    keyed = [
        source.rows.order_by()
        .annotate(history_source=Value(index))
        .values_list("history_source", "history_id", "history_date")
        for index, source in enumerate(sources)
    ]
    union = keyed[0].union(*keyed[1:], all=True) if len(keyed) > 1 else keyed[0]
    page = Paginator(union.order_by("-history_date", "-history_id"), PER_PAGE).get_page(page_number)
    wanted: dict[int, list[int]] = {}
    for index, history_id, _at in page.object_list:
        wanted.setdefault(index, []).append(history_id)
    found = {}
    for index, ids in wanted.items():
        for row, previous, m2m in _rows_with_previous(sources[index].rows, ids):
            found[index, row.history_id] = (row, previous, m2m)
    names = _related_names(found.values())
    record_name = str(record)
    entries = []
    for index, history_id, _at in page.object_list:
        row, previous, m2m = found[index, history_id]
        describe = sources[index].describe
        entries.append(
            Entry(
                at=row.history_date,
                who=str(row.history_user) if row.history_user_id else str(_("System")),
                kind=row.history_type,
                about=_about(record, record_name, row, describe),
                reason=row.history_change_reason or "",
                changes=_changes(row, previous, m2m, names),
            )
        )
    return page, entries


def _about(record, record_name: str, row, describe) -> str:
    model = row.instance_type
    if isinstance(record, model) and row.id == record.pk:
        return record_name
    name = capfirst(model._meta.verbose_name)
    try:
        return f"{name}: {describe(row)}" if describe else f"{name} #{row.id}"
    except ObjectDoesNotExist:  # a related record it names was deleted since
        return f"{name} #{row.id}"


def _tracked(history_model) -> list:
    """The fields a change is shown for: not the key, nor the automatic timestamps."""
    return [
        f
        for f in history_model.tracked_fields
        if not f.primary_key
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _rows_with_previous(rows: QuerySet, ids: list[int]):
    """The rows `ids` of `rows`, each with the version of the same record just before it (or
    None) and the many-to-many snapshots of both: {(history_id, field name): set of ids}."""
    model = rows.model
    before = model._default_manager.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    page_rows = list(
        rows.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(
            previous_id=Subquery(
                before.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
    )
    previous = model._default_manager.in_bulk(
        [row.previous_id for row in page_rows if row.previous_id]
    )
    m2m = _m2m_snapshots(model, [*ids, *previous])
    return [(row, previous.get(row.previous_id), m2m) for row in page_rows]


def _m2m_snapshots(history_model, history_ids: list[int]) -> dict:
    snapshots: dict[tuple[int, str], set] = {}
    for m2m_field in getattr(history_model, "_history_m2m_fields", ()):
        through = HistoricalRecords.m2m_models[m2m_field]
        target = utils.get_m2m_reverse_field_name(m2m_field)
        pairs = through._default_manager.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"
        )
        for history_id in history_ids:
            snapshots[history_id, m2m_field.name] = set()
        for history_id, target_id in pairs:
            snapshots[history_id, m2m_field.name].add(target_id)
    return snapshots


def _changed_values(row, previous, m2m):
    """(field, old, new) for each field that changed in `row`: on a creation, each field set;
    on a deletion, none."""
    if row.history_type == "-":
        return
    for model_field in _tracked(row.__class__):
        new = getattr(row, model_field.attname)
        old = getattr(previous, model_field.attname) if previous is not None else None
        if old != new and (previous is not None or new not in (None, "", False, [], {})):
            yield model_field, old, new
    for m2m_field in getattr(row, "_history_m2m_fields", ()):
        new = m2m.get((row.history_id, m2m_field.name), set())
        old = m2m.get((previous.history_id, m2m_field.name), set()) if previous else set()
        if old != new:
            yield m2m_field, old, new


def _related_names(found) -> dict:
    """str() of every record a changed foreign key or many-to-many field points at, one query
    per model: {(model, pk): name}."""
    wanted: dict[type, set] = {}
    for row, previous, m2m in found:
        for model_field, old, new in _changed_values(row, previous, m2m):
            if model_field.is_relation:
                values = set()
                for value in (old, new):
                    values |= value if isinstance(value, set) else {value}
                wanted.setdefault(model_field.related_model, set()).update(values - {None})
    names = {}
    for model, pks in wanted.items():
        for pk, obj in model._base_manager.select_related().in_bulk(pks).items():
            names[model, pk] = str(obj)
    return names


def _changes(row, previous, m2m, names) -> list[Change]:
    return [
        Change(
            field=capfirst(model_field.verbose_name),
            old=display(model_field, old, names) if previous is not None else "",
            new=display(model_field, new, names),
        )
        for model_field, old, new in _changed_values(row, previous, m2m)
    ]


def display(model_field, value, names: dict) -> str:
    """A field's value as the record's page shows it: a choice's label, a related record's
    name, money, a local date, a file's name, a long text cut."""
    if model_field.many_to_many:
        shown = sorted(names.get((model_field.related_model, pk), f"#{pk}") for pk in value)
        return _cut("; ".join(shown)) if shown else "—"
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return _plain(model_field, value)


def _plain(model_field, value) -> str:
    if isinstance(model_field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(model_field, models.DecimalField):
        shape = (model_field.max_digits, model_field.decimal_places)
        return formatting.money(value) if shape == MONEY_SHAPE else formatting.figure(value)
    if isinstance(model_field, models.DateTimeField):
        return formatting.date_time(value)
    if isinstance(model_field, models.DateField):
        return formatting.long_date(value)
    if isinstance(model_field, models.FileField):
        return PurePosixPath(str(value)).name
    if isinstance(model_field, models.JSONField):
        return _cut(json.dumps(value, ensure_ascii=False))
    return _cut(str(value))


def _cut(text: str) -> str:
    return Truncator(text).chars(TEXT_LIMIT)
