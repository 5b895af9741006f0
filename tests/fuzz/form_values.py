"""Values for the fields of a staff form read out of its page (tests/fuzz/test_staff_forms.py),
chosen by the kind of field: valid values (text with markup included: it is stored as text),
hostile ones, and the explicit examples posted on every run before hypothesis' draws — the
failures the fuzzing ever found, pinned by URL name, and one example per hostile category."""

from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.fuzz import hostile

MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")

# URL name -> examples that once failed, posted before the generated ones on every run: each a
# field -> value override on the form's valid values. A pin whose fields no form of its URL
# has fails the suite (test_every_pinned_example_reaches_a_form), so none is lost silently.
PINNED: dict[str, list[dict[str, object]]] = {
    # Found by this fuzz (c71e413): a refused edit of a unit rendered its links with the key
    # typed in, and a key with slashes answered 500.
    "information:unit_update": [{"key": "../../etc/passwd"}],
    # Found by `make test` on a fresh clone (issue 16): a figure beyond what its column holds
    # answered 500 "numeric field overflow".
    "evaluation:measurement_report": [{"a": "-725758200860"}],
}


def field_kind(name: str, kind: str, field) -> str:
    """What a field takes, from its Django form field when the page's context has it, else
    from its HTML input type: fixed (the CSRF token, a hidden value no form field reads),
    management (a formset's counts), file, boolean, multiple, choice, datetime, date, number,
    email, url or text."""
    if name == "csrfmiddlewaretoken":
        return "fixed"
    if name.endswith(MANAGEMENT):
        return "management"
    if kind == "hidden" and field is None:
        return "fixed"
    if isinstance(field, django_forms.FileField) or kind == "file":
        return "file"
    if isinstance(field, django_forms.BooleanField) or kind == "checkbox":
        return "boolean"
    if isinstance(field, django_forms.ModelMultipleChoiceField | django_forms.MultipleChoiceField):
        return "multiple"
    if isinstance(field, django_forms.ChoiceField) or kind in ("select", "radio", "checkboxes"):
        return "choice"
    if isinstance(field, django_forms.DateTimeField) or kind == "datetime-local":
        return "datetime"
    if isinstance(field, django_forms.DateField) or kind == "date":
        return "date"
    if isinstance(field, django_forms.IntegerField | django_forms.DecimalField) or kind == "number":
        return "number"
    if isinstance(field, django_forms.EmailField) or kind == "email":
        return "email"
    if isinstance(field, django_forms.URLField) or kind == "url":
        return "url"
    return "text"


def _valid_options(options: list[str]) -> list[str]:
    return [option for option in options if option]


def valid_value(name: str, kind: str, default: str, options: list[str], field):
    """The value a person would leave or type: the page's own when it has one."""
    what = field_kind(name, kind, field)
    valid = _valid_options(options)
    if what in ("fixed", "management", "boolean"):
        return default
    if what == "file":
        return None
    if what == "multiple":
        return [default] if default else valid[:1]
    if what == "choice":
        return default or (valid[0] if valid else default)
    typed = {
        "datetime": "2026-03-15T10:00",
        "date": "2026-03-15",
        "number": "1",
        "email": "enlace@example.org",
        "url": "https://example.org/",
        "text": "Texto válido",
    }
    return default or typed[what]


def valid_strategy(name: str, kind: str, default: str, options: list[str], field):
    """A value the field should take (text with markup included: it is stored as text)."""
    what = field_kind(name, kind, field)
    valid = _valid_options(options)
    keep = st.just(default)
    if what in ("fixed", "management"):
        return keep
    if what == "file":
        return st.sampled_from([None, ("informe.pdf", hostile.PDF), ("foto.png", hostile.PNG)])
    if what == "boolean":
        return st.sampled_from(["on", ""])
    if what == "multiple":
        return st.lists(st.sampled_from(valid), max_size=2, unique=True) if valid else st.just([])
    if what == "choice":
        return st.sampled_from(valid) if valid else keep
    if what == "datetime":
        return st.sampled_from([default or "2026-03-15T10:00", "2026-06-01T18:30"])
    if what == "date":
        return st.sampled_from([default or "2026-03-15", "2026-06-01", "2026-12-31"])
    if what == "number":
        return st.sampled_from([default or "1", "1", "10", "2026", "0.5"])
    if what == "email":
        return st.sampled_from(["", "enlace@example.org"])
    if what == "url":
        return st.sampled_from(["", "https://example.org/"])
    if default:
        return st.one_of(keep, hostile.VALID_TEXT)
    return hostile.VALID_TEXT


def hostile_strategy(name: str, kind: str, default: str, options: list[str], field):
    """A hostile value of the field's kind."""
    what = field_kind(name, kind, field)
    if name == "csrfmiddlewaretoken":
        return st.just(default)
    if what == "management":
        return st.one_of(hostile.INVALID_CHOICES, hostile.HUGE_NUMBERS)
    if what == "fixed":  # a hidden value: the view may still read it
        return st.one_of(hostile.INVALID_CHOICES, hostile.HOSTILE_TEXT)
    strategies = {
        "file": hostile.FILES,
        "boolean": st.sampled_from(["false", "0", hostile.SCRIPT]),
        "choice": st.one_of(st.just(""), hostile.INVALID_CHOICES),
        "datetime": hostile.DATETIMES,
        "date": hostile.DATES,
        "number": hostile.NUMBERS,
    }
    if what == "multiple":
        valid = _valid_options(options)
        choices = hostile.INVALID_CHOICES
        if valid:
            choices = st.one_of(st.sampled_from(valid), hostile.INVALID_CHOICES)
        return st.lists(choices, min_size=1, max_size=3)
    return strategies.get(what, hostile.HOSTILE_TEXT)


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


# --- Explicit examples ---------------------------------------------------------------------------

# The kinds of field each kind of category value goes in.
CATEGORY_FIELDS = {
    "text": ("text",),
    "number": ("number",),
    "date": ("date", "datetime"),
    "choice": ("choice", "multiple"),
    "file": ("file",),
}


def valid_data(form: hostile.HtmlForm, fields: dict) -> dict:
    return {
        name: valid_value(name, kind, default, options, fields.get(name))
        for name, (kind, default, options) in form.fields.items()
    }


def _placed(value, what: str):
    """A category's value as a field of that kind is sent."""
    if what == "datetime":
        return f"{value}T10:00"
    if what == "multiple":
        return [value]
    return value


def explicit_examples(url_name: str, form: hostile.HtmlForm, fields: dict) -> list[tuple]:
    """(what it is, data) to post before hypothesis' draws: the pins of the URL whose fields
    the form has, then for each hostile category that fits some field of the form, its value
    in every such field and valid values elsewhere (so a save is reached where the value is
    acceptable); a form with none of those (a button) is posted once as it is."""
    base = valid_data(form, fields)
    examples = [
        (f"pinned {overrides!r}", base | overrides)
        for overrides in PINNED.get(url_name, [])
        if overrides.keys() <= form.fields.keys()
    ]
    kinds = {
        name: field_kind(name, kind, fields.get(name))
        for name, (kind, _default, _options) in form.fields.items()
    }
    for category, (where, value) in hostile.CATEGORIES.items():
        targets = {name: what for name, what in kinds.items() if what in CATEGORY_FIELDS[where]}
        if targets:
            data = base | {name: _placed(value, what) for name, what in targets.items()}
            examples.append((category, data))
    if not examples:
        examples.append(("valid values", base))
    return examples


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
