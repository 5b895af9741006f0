from budgeting.models.catalogues import (
    ExpenseItem,
    FunctionalClass,
    FundingSource,
    GovernmentOrder,
    ProgramModality,
)
from budgeting.models.imports import PoaImport
from budgeting.models.money import (
    FISMDF_CAPS,
    BudgetLine,
    FismdfCategory,
    Movement,
    RequestedChange,
)
from budgeting.models.poa import (
    Action,
    ActionChange,
    ActionKind,
    Modification,
    Poa,
    PortfolioProject,
    ProgressReport,
)

__all__ = [
    "FISMDF_CAPS",
    "Action",
    "ActionChange",
    "ActionKind",
    "BudgetLine",
    "ExpenseItem",
    "FismdfCategory",
    "FunctionalClass",
    "FundingSource",
    "GovernmentOrder",
    "Modification",
    "Movement",
    "Poa",
    "PoaImport",
    "PortfolioProject",
    "ProgramModality",
    "ProgressReport",
    "RequestedChange",
]
