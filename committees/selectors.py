"""Reads across relations or per user."""

from django.utils import timezone

from committees.models import Member, Session


def voting_members(session: Session):
    """Members with a vote on the day of the session."""
    day = timezone.localtime(session.starts_at).date()
    return Member.objects.current(day).voting().filter(body_id=session.body_id)
