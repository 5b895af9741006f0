"""The views of evaluation, a module per subject; their addresses are all in evaluation/urls.py:

- indicators: the indicators, their technical sheets, targets, measurements, evidence and
  IMPLAN's validation;
- dashboard: indicators by plan axis and by organization, counts per colour;
- evaluations: the annual program, evaluations, recommendations and their follow-up;
- chain: the traceability chain of a PMOT strategy, both ways;
- pdfs: the technical sheet and the quarterly progress report as PDFs;
- history: the "Historial" pages of an indicator, an evaluation and a recommendation.
"""
