from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmot.actors.catalogues import census_2020_population, inegi_municipalities
from pmot.actors.models import Administration, Membership, Municipality, Organization, User
from pmot.actors.roles import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _website_field():
    return forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class OrganizationForm(forms.ModelForm):
    website = _website_field()

    class Meta:
        model = Organization
        fields = ["name", "acronym", "sector", "parent", "email", "phone", "website", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active organizations, and the current parent even if it was deactivated since.
        parents = Organization.objects.filter(Q(is_active=True) | Q(pk=self.instance.parent_id))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class OrganizationContactForm(forms.ModelForm):
    """What an organization's own liaison may keep up to date."""

    website = _website_field()

    class Meta:
        model = Organization
        fields = ["email", "phone", "website"]


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the appointment has no set end."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The membership cannot end before it starts."))
        return cleaned


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput())

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.membership.start_date:
            raise forms.ValidationError(_("The membership cannot end before it starts."))
        return end_date


class AdministrationForm(forms.ModelForm):
    class Meta:
        model = Administration
        fields = ["start_date", "end_date", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class MunicipalityForm(forms.ModelForm):
    population = forms.IntegerField(
        label=_("Population"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to take it from INEGI's 2020 census, where pmot has it."),
    )

    class Meta:
        model = Municipality
        fields = ["inegi_key", "population", "population_year"]

    def clean_inegi_key(self):
        key = self.cleaned_data["inegi_key"].strip()
        if key not in inegi_municipalities():
            raise forms.ValidationError(
                _("No municipality has the INEGI key %(key)s.") % {"key": key}
            )
        return key

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("inegi_key")
        if key and not cleaned.get("population"):
            population = census_2020_population().get(key)
            if population is None:
                self.add_error("population", _("Enter the population: pmot has no census for it."))
            else:
                cleaned["population"], cleaned["population_year"] = population, 2020
        return cleaned

    def save(self, commit=True):
        found = inegi_municipalities()[self.cleaned_data["inegi_key"]]
        self.instance.name, self.instance.state = found.name, found.state
        self.instance.population = self.cleaned_data["population"]
        return super().save(commit=commit)
