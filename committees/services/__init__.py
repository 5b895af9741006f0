"""Every state change of `committees`, one transaction each (ARCHITECTURE.md)."""

from committees.services.agreements import (
    agreement_correct,
    agreement_plan,
    agreement_revoke,
    agreements_mark_overdue,
    agreements_remind,
    follow_up_add,
)
from committees.services.bodies import (
    designation_decided,
    designation_start,
    member_add,
    member_end,
    member_validate,
)
from committees.services.minutes import (
    certificate_render_pdf,
    minutes_approve,
    minutes_decided,
    minutes_draft,
    minutes_edit,
    minutes_render_pdf,
)
from committees.services.sessions import (
    item_add,
    item_withdraw,
    notice_deadline,
    notice_send,
    session_cancel,
    session_close,
    session_convene,
    session_install,
    session_schedule,
)
from committees.services.votes import vote_cast, vote_close, vote_open

__all__ = [
    "agreement_correct",
    "agreement_plan",
    "agreement_revoke",
    "agreements_mark_overdue",
    "agreements_remind",
    "certificate_render_pdf",
    "designation_decided",
    "designation_start",
    "follow_up_add",
    "item_add",
    "item_withdraw",
    "member_add",
    "member_end",
    "member_validate",
    "minutes_approve",
    "minutes_decided",
    "minutes_draft",
    "minutes_edit",
    "minutes_render_pdf",
    "notice_deadline",
    "notice_send",
    "session_cancel",
    "session_close",
    "session_convene",
    "session_install",
    "session_schedule",
    "vote_cast",
    "vote_close",
    "vote_open",
]
