"""The views of evaluation, a module per subject, each with its URL module:

- indicators (indicator_urls): the indicators, their technical sheets, targets, measurements,
  evidence and IMPLAN's validation;
- dashboard (dashboard_urls): indicators by plan axis and by organization, counts per colour;
- evaluations (evaluation_urls): the annual program, evaluations, recommendations and their
  follow-up;
- chain (chain_urls): the traceability chain of a PMOT strategy, both ways;
- pdfs (pdf_urls): the technical sheet and the quarterly progress report as PDFs;
- history (history_urls): the "Historial" pages of an indicator and an evaluation.
"""
