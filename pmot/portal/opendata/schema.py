"""The language of the open-data files: a file's fields, their types and meaning, where each
value comes from, and the absolute addresses of the records' public pages."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Types of the Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/).
STRING, INTEGER, NUMBER, DATE, DATETIME, BOOLEAN = (
    "string",
    "integer",
    "number",
    "date",
    "datetime",
    "boolean",
)
TYPES = {
    STRING: _("text"),
    INTEGER: _("whole number"),
    NUMBER: _("decimal number"),
    DATE: _("date (YYYY-MM-DD)"),
    DATETIME: _("date and time (ISO 8601, Mexico City time)"),
    BOOLEAN: _("true or false"),
}
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}
SENTINEL = 900_000_001  # stands for a route's number while its address is built once per file


@dataclass(frozen=True)
class Link:
    """An address on this site: a route and the attributes that fill its numbers."""

    route: str
    args: tuple[str, ...] = ("pk",)


@dataclass(frozen=True)
class Field:
    """A column: its name, type and meaning, and where its value comes from (an attribute
    path, a function of the record, or a Link; by default the attribute of the same name)."""

    name: str
    type: str
    description: str
    source: str | Callable | Link | None = None
    choices: Sequence[tuple] = ()

    @property
    def type_label(self) -> str:
        return TYPES[self.type]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    # The published records; a yearly file's take the fiscal year (none: every public year).
    records: Callable[..., QuerySet]
    fields: tuple[Field, ...]
    prepare: Callable[[QuerySet], QuerySet] = field(default=lambda records: records)
    yearly: bool = False
    geometry: Callable | None = None  # a record's GeoJSON geometry, for a GeoJSON file

    @property
    def formats(self) -> tuple[str, ...]:
        return ("csv", "json", "geojson") if self.geometry else ("csv", "json")

    @property
    def format_labels(self) -> list[tuple[str, str]]:
        return [(fmt, FORMAT_LABELS[fmt]) for fmt in self.formats]

    def base(self, year: int | None = None) -> QuerySet:
        """The records of the file, without the joins of its rows (for its last change)."""
        return self.records() if year is None else self.records(year)

    def rows(self, records: QuerySet, links: "Links") -> Iterator[tuple[object, list]]:
        """(record, values in field order), in a fixed number of queries."""
        for record in self.prepare(records):
            yield record, [value(record, column, links) for column in self.fields]


class Links:
    """Absolute addresses of the records' public pages, each route reversed once per file."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self._patterns: dict[Link, str | None] = {}

    def url(self, link: Link, record) -> str:
        values = [resolve(record, path) for path in link.args]
        if link not in self._patterns:
            self._patterns[link] = self._pattern(link)
        pattern = self._patterns[link]
        if pattern is None or any(v is None for v in values):
            return ""
        return self.base_url + pattern.format(*values)

    @staticmethod
    def _pattern(link: Link) -> str | None:
        numbers = [SENTINEL + n for n in range(len(link.args))]
        try:
            path = reverse(link.route, args=numbers)
        except NoReverseMatch:  # a page not built yet: the column stays empty
            return None
        path = path.replace("{", "{{").replace("}", "}}")
        for n, number in enumerate(numbers):
            path = path.replace(str(number), f"{{{n}}}")
        return path


def resolve(record, path: str):
    """record.a.b.c, or None where the chain breaks (an empty link, a missing one-to-one)."""
    for part in path.split("."):
        try:
            record = getattr(record, part)
        except ObjectDoesNotExist:
            return None
        if record is None:
            return None
    return record


def value(record, column: Field, links: Links):
    source = column.source or column.name
    if isinstance(source, Link):
        return links.url(source, record)
    if callable(source):
        return source(record)
    return resolve(record, source)


def joined(items) -> str:
    """Several values in one cell."""
    return "; ".join(items)


URL = _("Address of its page on this site.")
RESPONSIBLE = _("Organization responsible.")
