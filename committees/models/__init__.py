"""Collegiate bodies and how they decide (DOMAIN.md §2)."""

from committees.models.agreements import (
    Agreement,
    AgreementType,
    AgreementVersion,
    FollowUp,
    PastAgreement,
)
from committees.models.bodies import Body, Designation, Leave, Member
from committees.models.minutes import Minutes
from committees.models.sessions import (
    AgendaItem,
    Attendance,
    Ballot,
    Excusal,
    ItemDocument,
    Session,
    Vote,
)

__all__ = [
    "AgendaItem",
    "Agreement",
    "AgreementType",
    "AgreementVersion",
    "Attendance",
    "Ballot",
    "Body",
    "Designation",
    "Excusal",
    "FollowUp",
    "PastAgreement",
    "ItemDocument",
    "Leave",
    "Member",
    "Minutes",
    "Session",
    "Vote",
]
