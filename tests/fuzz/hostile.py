"""What the fuzz tests throw at pmot, and how they look at what comes back: hostile values by
kind of field, the forms of a rendered page (read from its HTML), the row counts of every
table (history included) in one query, and the check that a message is in Spanish."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# --- Hostile values ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never reach a page unescaped.
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror=alert(1)>")

PAYLOADS = [
    SCRIPT,
    IMG,
    "'; DROP TABLE budgeting_action;--",
    "1 OR 1=1",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s {0}",
    "\u202eevil\u202c",
    "a\u200bb\u200dc\ufeff",
    "مرحبا بالعالم",
    "𝓟𝓜𝓞𝓣 🏙️👩🏽‍🌾",
    "Ñandú çà ü",
    "../../etc/passwd",
    "\r\n\t",
    " ",
    "",
    "x" * 5000,
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=20)).map(
        lambda s: s.replace("\x00", "")
    ),
)
# Text a form should accept and store as it is, to be shown escaped.
VALID_TEXT = st.sampled_from(
    [
        "Texto válido",
        SCRIPT,
        IMG,
        "'; DROP TABLE x;--",
        "Ñandú 🏙️ ‮al revés",
        "{{ 7*7 }}",
        "مرحبا",
    ]
)
HUGE_NUMBERS = st.sampled_from(
    [
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e309",
        "-1e309",
        "1e-400",
        "9" * 40,
        "-" + "9" * 40,
        "1" + "0" * 400,
        "0x10",
        "1,000.50",
        "$1,000",
        "١٢٣",
        "0",
        "-0",
        "-1",
        "2147483648",
        "9223372036854775808",
        "0.0000001",
        "12.345678901",
    ]
)
NUMBERS = st.one_of(
    HUGE_NUMBERS,
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
    HOSTILE_TEXT,
)
DATES = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "2025-02-29",
            "10000-01-01",
            "0000-00-00",
            "-2026-01-01",
            "2026/01/15",
            "15/01/2026",
            "01/15/2026",
            "hoy",
            "2026-01-15T10:00",
            "",
        ]
    ),
    st.dates().map(datetime.date.isoformat),
    HOSTILE_TEXT,
)
DATETIMES = st.one_of(
    DATES,
    st.sampled_from(
        ["2026-01-15T25:61", "9999-12-31T23:59", "0001-01-01T00:00", "2026-01-15 10:00"]
    ),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
)
INVALID_CHOICES = st.sampled_from(["999999999", "-1", "0", "abc", "9" * 30, SCRIPT, "1.5", " "])

# --- Files ----------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML_PAGE = f"<html><body>{SCRIPT}</body></html>".encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small zip that unpacks to 64 MB of zeros."""
    return zip_bytes({"ceros.shp": b"\x00" * (64 * 1024 * 1024)})


# (name, content): valid files, files whose name lies about their content, and oddities.
FILES = st.sampled_from(
    [
        ("informe.pdf", PDF),
        ("foto.png", PNG),
        ("datos.csv", "clave,nombre\nA,Ñandú\n".encode()),
        ("pagina.pdf", HTML_PAGE),
        ("pagina.html", HTML_PAGE),
        ("script.svg", f"<svg xmlns='http://www.w3.org/2000/svg'>{SCRIPT}</svg>".encode()),
        ("informe.pdf.exe", b"MZ\x90\x00"),
        ("tabla.xlsx", PDF),
        ("roto.zip", b"PK\x03\x04 not really a zip"),
        ("vacio.pdf", b""),
        ("sin_extension", PDF),
        (f"{SCRIPT}.pdf", PDF),
        ("../../../etc/passwd.pdf", PDF),
        ("x" * 300 + ".pdf", PDF),
        ("texto.txt", b"\xff\xfe\x00b\x00i\x00n"),
        ("datos.json", b"{not json"),
    ]
)

# --- Running hypothesis -------------------------------------------------------------------------


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        # No shrinking: an example costs a request or more; the failing one is shown as drawn.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# --- Reading forms out of a page ------------------------------------------------------------------


@dataclass
class HtmlForm:
    action: str
    method: str
    multipart: bool
    # name -> (kind, default value, options): kind is the input type, "select", "textarea"
    fields: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    multiple: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = HtmlForm(
                action=(attrs.get("action") or self.page_url).split("#")[0],
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in (attrs.get("enctype") or ""),
            )
            self.forms.append(self.current)
            return
        form, name = self.current, attrs.get("name")
        if form is None or not name or "disabled" in attrs:
            if tag == "option" and form is not None and self.select:
                self._option(attrs)
            return
        if tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            if (attrs.get("type") or "submit").lower() == "submit":
                # Named submit buttons (step=observe|validate|accept): one of them is sent.
                value = attrs.get("value") or ""
                _kind, default, options = form.fields.get(name, ("radio", value, []))
                form.fields[name] = ("radio", default, [*options, value])
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("button", "reset", "image"):
                return
            value = attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            if kind == "radio":
                _old_kind, old, options = form.fields.get(name, ("radio", "", []))
                checked = value if "checked" in attrs else old
                form.fields[name] = ("radio", checked, [*options, value])
            elif kind == "checkbox" and name in form.fields:
                # several boxes under one name: a multiple choice
                _kind, old, options = form.fields[name]
                form.fields[name] = ("checkboxes", old, [*options, value])
                form.multiple.add(name)
            else:
                default = value if kind != "checkbox" or "checked" in attrs else ""
                form.fields[name] = (kind, default, [value] if kind == "checkbox" else [])
        elif tag == "select":
            self.select = name
            form.fields[name] = ("select", "", [])
            if "multiple" in attrs:
                form.multiple.add(name)
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = ("textarea", "", [])
        elif tag == "option" and self.select:
            self._option(attrs)

    def _option(self, attrs):
        kind, default, options = self.current.fields[self.select]
        value = attrs.get("value", "")
        if "selected" in attrs or (not default and not options):
            default = value
        self.current.fields[self.select] = (kind, default, [*options, value])

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            kind, default, options = self.current.fields[self.textarea]
            self.current.fields[self.textarea] = (kind, default + data, options)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(html: str, page_url: str) -> list[HtmlForm]:
    parser = FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


# --- Rows of every table ----------------------------------------------------------------------

NOT_COUNTED = ("sessions.", "admin.", "axes.", "contenttypes.", "auth.permission")
NOT_COUNTED_MODELS = {"actors.accessevent"}  # the security log records refusals too


def counted_models():
    return [
        model
        for model in apps.get_models()
        if not model._meta.label_lower.startswith(NOT_COUNTED)
        and model._meta.label_lower not in NOT_COUNTED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """Rows of every table of the project, history included, in one query."""
    models = counted_models()
    quote = connection.ops.quote_name
    # table names from the models, quoted: no outside text reaches the query
    selects = ", ".join(
        f"(SELECT count(*) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        numbers = cursor.fetchone()
    return {m._meta.label_lower: n for m, n in zip(models, numbers, strict=True)}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], n) for label, n in after.items() if before[label] != n}


# --- Spanish -----------------------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(the|this|field|enter|ensure|select|valid|value|must|required|is|are|not|of|has|"
    r"have|file|please|only|with|characters|number|date|choice|invalid)\b",
    re.IGNORECASE,
)
SPANISH = re.compile(
    r"\b(el|la|los|las|de|del|no|un|una|es|este|esta|campo|valor|debe|archivo|fecha|"
    r"número|introduzca|asegúrese|escoja|seleccione|válid[oa]s?|obligatori[oa]|mayor|menor|"
    r"dígitos|caracteres|elija|ya|existe|entre|puede|se|que|en|al|por|con|sin|más|"
    r"ningun[oa]?|ningún|nada|hay|son|su|sus|lo)\b",
    re.IGNORECASE,
)


def english_words(message: str) -> list[str]:
    """English words in a message (hostile text it quotes back removed by the caller)."""
    return ENGLISH.findall(message)


def is_spanish(message: str, quoted: list[str] = ()) -> bool:
    """No English word, and a Spanish word or letter, once the values it quotes are gone."""
    text = str(message)
    for value in sorted(quoted, key=len, reverse=True):
        if value and len(value) > 2:
            text = text.replace(value, " ")
    spanish = bool(SPANISH.search(text)) or bool(re.search(r"[áéíóúñ¿¡«»]", text, re.I))
    return spanish and not english_words(text)
