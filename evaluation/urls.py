"""Every address of evaluation, in the `evaluation` namespace; the views are a module per
subject (see evaluation/views/__init__.py)."""

from django.urls import path

from evaluation.views import chain, dashboard, evaluations, history, indicators, pdfs

app_name = "evaluation"

urlpatterns = [
    # Indicators: the list, technical sheets, targets, measurements, evidence, validation.
    path("indicadores/", indicators.indicator_list, name="indicator_list"),
    path("indicadores/por-reportar/", indicators.indicator_to_report, name="indicator_to_report"),
    path("indicadores/nuevo/", indicators.indicator_create, name="indicator_create"),
    path("indicadores/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicadores/<int:pk>/editar/", indicators.indicator_edit, name="indicator_edit"),
    path("indicadores/<int:pk>/metas/", indicators.target_edit, name="target_edit"),
    path(
        "indicadores/<int:pk>/medir/<int:year>/<int:number>/",
        indicators.measurement_report,
        name="measurement_report",
    ),
    path("mediciones/<int:pk>/revisar/", indicators.measurement_review, name="measurement_review"),
    path("evidencias/<int:pk>/", indicators.evidence_download, name="evidence_download"),
    # The dashboard: indicators by plan axis and by organization.
    path("indicadores/tablero/", dashboard.dashboard, name="dashboard"),
    # The annual program, evaluations, recommendations and their follow-up.
    path("evaluaciones/", evaluations.evaluation_list, name="evaluation_list"),
    path("evaluaciones/programas/nuevo/", evaluations.program_create, name="program_create"),
    path("evaluaciones/programas/<int:pk>/editar/", evaluations.program_edit, name="program_edit"),
    path(
        "evaluaciones/programas/<int:pk>/documento/",
        evaluations.program_document,
        name="program_document",
    ),
    path("evaluaciones/nueva/", evaluations.evaluation_create, name="evaluation_create"),
    path("evaluaciones/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluaciones/<int:pk>/editar/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("evaluaciones/<int:pk>/informe/", evaluations.evaluation_report, name="evaluation_report"),
    path(
        "evaluaciones/<int:pk>/recomendaciones/nueva/",
        evaluations.recommendation_add,
        name="recommendation_add",
    ),
    path("recomendaciones/", evaluations.recommendation_list, name="recommendation_list"),
    path(
        "recomendaciones/<int:pk>/",
        evaluations.recommendation_detail,
        name="recommendation_detail",
    ),
    path(
        "recomendaciones/<int:pk>/seguimiento/",
        evaluations.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    path(
        "recomendaciones/seguimientos/<int:pk>/evidencia/",
        evaluations.followup_evidence,
        name="followup_evidence",
    ),
    # The traceability chain of a PMOT strategy, both ways.
    path("trazabilidad/", chain.chain_index, name="chain_index"),
    path("trazabilidad/<int:pk>/", chain.chain, name="chain"),
    # The technical sheet and the quarterly progress report as PDFs.
    path("indicadores/<int:pk>/ficha.pdf", pdfs.sheet_pdf_request, name="indicator_sheet_pdf"),
    path(
        "indicadores/<int:pk>/ficha/pdf/<uuid:token>/",
        pdfs.sheet_pdf_status,
        name="indicator_sheet_pdf_status",
    ),
    path(
        "indicadores/<int:pk>/ficha/pdf/<uuid:token>/ficha.pdf",
        pdfs.sheet_pdf_download,
        name="indicator_sheet_pdf_download",
    ),
    path("indicadores/informe/", pdfs.quarterly_report_latest, name="quarterly_report"),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/",
        pdfs.quarterly_report_pdf,
        name="quarterly_report_pdf",
    ),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/pdf/<uuid:token>/",
        pdfs.quarterly_report_pdf_status,
        name="quarterly_report_pdf_status",
    ),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/pdf/<uuid:token>/informe.pdf",
        pdfs.quarterly_report_pdf_download,
        name="quarterly_report_pdf_download",
    ),
    # The "Historial" pages of an indicator, an evaluation and a recommendation.
    path("indicadores/<int:pk>/historial/", history.indicator_history, name="indicator_history"),
    path("evaluaciones/<int:pk>/historial/", history.evaluation_history, name="evaluation_history"),
    path(
        "recomendaciones/<int:pk>/historial/",
        history.recommendation_history,
        name="recommendation_history",
    ),
]
