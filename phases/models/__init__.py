from phases.models.consultation import Comment, Consultation, Hearing, Ruling
from phases.models.work import (
    Activity,
    Deliverable,
    DeliverableStatus,
    DeliverableType,
    DeliverableVersion,
    Phase,
    PhaseNumber,
    Review,
)

__all__ = [
    "Activity",
    "Comment",
    "Consultation",
    "Deliverable",
    "DeliverableStatus",
    "DeliverableType",
    "DeliverableVersion",
    "Hearing",
    "Phase",
    "PhaseNumber",
    "Review",
    "Ruling",
]
