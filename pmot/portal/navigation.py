"""The navigation bars as data: who sees each entry and when it is the current one.

The staff's bar (`STAFF`) is a few sections, each a menu, and two plain links; the public bar
(`PUBLIC`) is one link per published page. An entry shows to a person who holds any of the
permissions it `requires` (none: everyone who sees the bar, or its section); a section shows
when its own permission holds, and then the links of it the person may see. An entry is the
current page (`aria-current="page"`) while the path starts with its `current` prefix (its own
address when none is given; "/" only on "/" itself); a section's title is marked while the
path is under any of its prefixes. `pmot/portal/templatetags/portal.py` hands the entries a
person sees to `templates/includes/nav.html` and `public_nav.html`.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

CURRENT_CLASS = " site-nav__link--current"


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    requires: tuple[str, ...] = ()
    current: str | None = None
    staff: bool = False  # the admin site: only for staff accounts, and never marked as current

    def visible_to(self, user) -> bool:
        if self.staff and not user.is_staff:
            return False
        return not self.requires or any(user.has_perm(name) for name in self.requires)


@dataclass(frozen=True)
class Section:
    label: str
    requires: tuple[str, ...]
    current: tuple[str, ...]
    links: tuple[Link, ...]

    def visible_to(self, user) -> bool:
        return any(user.has_perm(name) for name in self.requires)


@dataclass(frozen=True)
class Entry:
    """One link as drawn: its address and aria-current ("" for none), or a section's title with
    its class and its links."""

    label: str
    url: str = ""
    aria_current: str = ""
    css_class: str = ""
    links: tuple["Entry", ...] = ()


STAFF = (
    Link(_("Home"), "portal:dashboard"),
    Section(
        _("Coordination"),
        requires=("committees.view_body",),
        current=("/organos/", "/sesiones/", "/acuerdos/", "/votaciones/", "/actas/"),
        links=(
            Link(_("Bodies"), "committees:body_list"),
            Link(_("Sessions"), "committees:session_list", ("committees.view_session",)),
            Link(_("Agreements"), "committees:agreement_list", ("committees.view_agreement",)),
        ),
    ),
    Section(
        _("Planning"),
        requires=("planning.view_program",),
        current=("/programa/", "/fases/", "/entregables/", "/consulta/", "/planes/"),
        links=(
            Link(_("Program"), "planning:program_detail"),
            Link(_("Phases"), "phases:phase_list", ("phases.view_phase",)),
            Link(
                _("Public consultation"), "phases:consultation_list", ("phases.view_consultation",)
            ),
            Link(_("Plans"), "planning:plan_list", ("planning.view_plan",)),
            # Who may ask for the report (pmot/portal/services/handover.py, `can_request`).
            Link(
                _("Hand-over report"),
                "portal:handover",
                ("planning.change_program", "committees.conduct_body"),
            ),
        ),
    ),
    Link(_("POA"), "budgeting:poa_list", ("budgeting.view_poa",)),
    Section(
        _("Evaluation"),
        requires=("evaluation.view_evaluation",),
        current=(
            "/indicadores/",
            "/mediciones/",
            "/evidencias/",
            "/trazabilidad/",
            "/evaluaciones/",
            "/recomendaciones/",
        ),
        links=(
            Link(_("Indicators"), "evaluation:indicator_list"),
            Link(_("Measurements to report"), "evaluation:indicator_to_report"),
            Link(_("Indicators dashboard"), "evaluation:dashboard"),
            Link(
                _("Quarterly report"), "evaluation:quarterly_report", ("evaluation.view_indicator",)
            ),
            Link(_("Traceability"), "evaluation:chain_index"),
            Link(_("Evaluations"), "evaluation:evaluation_list"),
            Link(_("Recommendations"), "evaluation:recommendation_list"),
        ),
    ),
    Section(
        _("Information"),
        requires=("information.view_territorialunit",),
        current=("/territorio/", "/informacion/"),
        links=(
            Link(_("Territory"), "information:unit_map"),
            Link(
                _("Documents"),
                "information:document_list",
                ("information.view_document",),
                current="/informacion/",  # a document's pages too, under /informacion/
            ),
        ),
    ),
    Section(
        _("People and organizations"),
        requires=("actors.view_organization",),
        current=("/organizaciones/", "/personas/", "/administraciones/", "/municipio/"),
        links=(
            Link(_("Organizations"), "actors:organization_list"),
            Link(_("People"), "actors:people_list", ("actors.view_user",)),
            Link(
                _("Administrations"), "actors:administration_list", ("actors.view_administration",)
            ),
            Link(_("Municipality"), "actors:municipality_detail", ("actors.view_municipality",)),
            Link(_("Administration site"), "admin:index", staff=True),
        ),
    ),
)

PUBLIC = (
    Link(_("Phases"), "portal:phases"),
    Link(_("Strategies"), "portal:strategies"),
    Link(_("Works and actions"), "portal:poa"),
    Link(_("Territory"), "portal:territory"),
    Link(_("Indicators"), "portal:indicators"),
    Link(_("Evaluations"), "portal:evaluations"),
    Link(_("Agreements"), "committees:public_agreements"),
    Link(_("Sessions"), "committees:public_sessions"),
    Link(_("Coordinating body"), "committees:public_body"),
    Link(_("Documents"), "information:public_documents"),
    Link(_("Public consultation"), "phases:consultation_public"),
    Link(_("Open data"), "portal:open_data"),
)


def _is_under(path: str, prefix: str) -> bool:
    return path == prefix if prefix == "/" else path.startswith(prefix)


def _link(link: Link, path: str, css_class: str = "") -> Entry:
    url = reverse(link.url_name)
    if link.staff:
        return Entry(link.label, url)
    current = "page" if _is_under(path, link.current or url) else "false"
    return Entry(link.label, url, current, css_class)


def entries(bar, *, user, path: str, link_class: str = "") -> list[Entry]:
    """The entries of `bar` (`STAFF` or `PUBLIC`) that `user` sees, marked for `path`; the
    links outside a section get `link_class`."""
    drawn = []
    for item in bar:
        if not item.visible_to(user):
            continue
        if isinstance(item, Link):
            drawn.append(_link(item, path, link_class))
            continue
        marked = any(_is_under(path, prefix) for prefix in item.current)
        links = tuple(_link(link, path) for link in item.links if link.visible_to(user))
        drawn.append(Entry(item.label, css_class=CURRENT_CLASS if marked else "", links=links))
    return drawn
