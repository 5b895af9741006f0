"""PDF documents from templates, with WeasyPrint.

Nothing is fetched while rendering: the templates carry their own styles, and user text could
otherwise make the renderer read local files or reach other hosts (server-side request forgery).
"""

from django.template.loader import render_to_string


def _refuse(url, *args, **kwargs):
    raise ValueError(f"pmot PDFs load nothing from outside: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only workers need

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
