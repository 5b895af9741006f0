from evaluation.models.evaluations import (
    Evaluation,
    EvaluationProgram,
    FollowUp,
    Recommendation,
)
from evaluation.models.indicators import (
    Evidence,
    Indicator,
    Measurement,
    Reminder,
    Target,
)

__all__ = [
    "Evaluation",
    "EvaluationProgram",
    "Evidence",
    "FollowUp",
    "Indicator",
    "Measurement",
    "Recommendation",
    "Reminder",
    "Target",
]
