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
    STAGES,
    BudgetLine,
    BudgetStage,
    FismdfCategory,
    Movement,
    RequestedChange,
)
from budgeting.models.poa import (
    MONTHS,
    QUARTERS,
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
    "MONTHS",
    "QUARTERS",
    "STAGES",
    "Action",
    "ActionChange",
    "ActionKind",
    "BudgetLine",
    "BudgetStage",
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
