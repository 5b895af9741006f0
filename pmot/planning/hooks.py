"""What higher apps require of the program before it is approved or comes into force.

`phases` holds the public consultation, which `planning` (a lower layer) cannot import; it
registers its condition in its AppConfig.ready(), as apps do with `committees.hooks`:

    from pmot.planning import hooks
    hooks.register_approval_check(phases.services.consultation.consultations_answered)

`program_update` runs every check when the approval reaches the program (by the Cabildo's vote,
through committees' hook) and when the program comes into force. A check raises
ValidationError to say why not.
"""

from collections.abc import Callable

Check = Callable[..., None]  # check(*, program) -> None, or raises ValidationError

_approval_checks: list[Check] = []


def register_approval_check(check: Check) -> None:
    """Register a condition for approving the program (and for its coming into force)."""
    if check not in _approval_checks:
        _approval_checks.append(check)


def approval_allowed(program) -> None:
    """Run every registered condition; the first that refuses raises ValidationError."""
    for check in _approval_checks:
        check(program=program)
