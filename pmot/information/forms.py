import json

from django import forms
from django.utils.translation import gettext_lazy as _

from pmot.information import permissions
from pmot.information.models import Document, TerritorialUnit


class GeometryField(forms.CharField):
    """A GeoJSON geometry (or a Feature holding one) pasted as text; the model checks it."""

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            data = json.loads(value)
        except (ValueError, RecursionError) as error:  # Recursion: nested thousands deep
            raise forms.ValidationError(_("This is not valid GeoJSON.")) from error
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        return data


class UnitForm(forms.ModelForm):
    geometry = GeometryField(
        label=_("Geometry (GeoJSON, WGS84)"),
        help_text=_(
            "A Polygon or MultiPolygon (a Point for a locality) in longitude and latitude, "
            "e.g. exported from QGIS as GeoJSON."
        ),
    )

    class Meta:
        model = TerritorialUnit
        fields = [
            "key",
            "name",
            "kind",
            "environmental_policy",
            "urban_action",
            "zone_class",
            "surface_ha",
            "description",
            "geometry",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A GeoJSON FeatureCollection (.geojson, .json) or a zipped shapefile (.zip)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.zip"}),
    )
    update_existing = forms.BooleanField(
        label=_("Update existing units with the same key"),
        required=False,
        help_text=_("Unticked, a key that already exists is an error and nothing is imported."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


class DocumentForm(forms.ModelForm):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), CSV, text, GeoJSON/JSON, PNG, JPEG or ZIP; "
            "each file is checked by its content."
        ),
    )

    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "author_organization",
            "date",
            "phase",
            "source",
            "license",
            "description",
            "units",
            "is_published",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author_organization"].queryset = permissions.author_organizations(user)
        self.fields["units"].queryset = TerritorialUnit.objects.order_by("kind", "key")
        if self.instance.pk is None:
            self.fields["files"].required = True
        if not permissions.can_publish(user):
            # IMPLAN publishes; an organization's liaison files documents for review.
            del self.fields["is_published"]


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class RejectRevisionForm(forms.Form):
    """Rejecting a revision of a published document: IMPLAN says why."""

    reason = forms.CharField(
        label=_("Why it is rejected"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )
