"""Every number a staff or public form takes is bounded by what its column holds, so a huge
figure is a Spanish message on the form, never a database error (issue 16). A new numeric
field joins this check by being declared in a forms module of an app."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

APPS = ["pmot", "committees", "phases", "budgeting", "evaluation"]


def form_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            leaf = info.name.rsplit(".", 1)[-1]
            if leaf.startswith("forms") or ".forms." in info.name:
                yield importlib.import_module(info.name)


def project_forms():
    found = {}
    for module in form_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


FORMS = project_forms()


def model_field_of(form_class, name):
    meta = getattr(form_class, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None or name not in (meta.fields or []):
        return None
    return model._meta.get_field(name)


def bounded_by_model(form_class, name) -> bool:
    """A ModelForm validates its instance: the model field's range validators apply."""
    field = model_field_of(form_class, name)
    if field is None:
        return False
    kinds = {type(v) for v in field.validators}
    return MinValueValidator in kinds and MaxValueValidator in kinds


def test_the_forms_are_found():
    assert len(FORMS) > 40
    assert "evaluation.forms.indicators.MeasurementForm" in FORMS


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_every_number_a_form_takes_fits_its_column(form_name, db):
    form_class = FORMS[form_name]
    problems = []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FloatField) and not isinstance(field, forms.DecimalField):
            problems.append(f"{name}: a float, which no column holds exactly")
        elif isinstance(field, forms.DecimalField):
            if field.max_digits is None or field.decimal_places is None:
                problems.append(f"{name}: a decimal without max_digits and decimal_places")
        elif isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.TypedChoiceField
        ):
            bounded = field.min_value is not None and field.max_value is not None
            if not bounded and not bounded_by_model(form_class, name):
                problems.append(f"{name}: an integer without min_value and max_value")
    assert not problems, "\n".join(problems)
