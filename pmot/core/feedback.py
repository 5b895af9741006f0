"""What a page says after a service ran: the rule that refused it, in Spanish, or that it went
well."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def service_call(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run a service; tell the user what went wrong, or that it went well."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True
