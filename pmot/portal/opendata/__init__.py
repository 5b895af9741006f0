"""The open-data files: what each one holds, field by field, and where its rows come from.

One definition per file feeds its CSV, JSON and GeoJSON downloads and the catalogue page that
documents them, so a column cannot exist in a file without its meaning in the catalogue. Every
file starts from `pmot.portal.selectors.published`: nothing unpublished, no notes, evidence or
people.

Field names are stable snake_case English words (the same in every format and year; the
catalogue gives their meaning in Spanish). Choice fields hold a stable code; the catalogue and
each JSON file list every code with its meaning. Yearly files hold one fiscal year.
"""

from pmot.portal.opendata import budget, coordination, evaluation, planning
from pmot.portal.opendata.schema import Dataset, Field, Link, Links

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        coordination.AGREEMENTS,
        coordination.SESSIONS,
        coordination.PHASES,
        coordination.DELIVERABLES,
        planning.STRATEGIES,
        planning.ALIGNMENTS,
        planning.DOCUMENTS,
        planning.TERRITORY,
        budget.ACTIONS,
        budget.BUDGET,
        budget.PROGRESS,
        evaluation.INDICATORS,
        evaluation.MEASUREMENTS,
        evaluation.EVALUATIONS,
        evaluation.RECOMMENDATIONS,
    )
}

__all__ = ["DATASETS", "Dataset", "Field", "Link", "Links"]
