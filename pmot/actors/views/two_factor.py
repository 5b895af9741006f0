"""The pages of two-factor login: the second step, setting up an authenticator, one's security.

The rules and the session marks are in pmot.actors.two_factor; these pages only ask and show.
"""

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pmot.actors import two_factor
from pmot.actors.models import AccessEvent


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your backup codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Type the code.")},
    )


class NewAuthenticatorForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code shown by the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Type the six digits the app shows.")},
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("portal:dashboard")


def _context(request: HttpRequest, **extra) -> dict:
    pending = not two_factor.is_verified(request)  # the staff menu only once verified
    return {"next": _next_url(request), "second_step_pending": pending, **extra}


@two_factor.second_step_not_required
@require_http_methods(["GET", "POST"])
def second_step(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator, or a backup code."""
    if two_factor.is_verified(request):
        return redirect(_next_url(request))
    if not two_factor.is_enrolled(request.user):
        return redirect(f"{reverse('second_step_enroll')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        wait = two_factor.wait_seconds(request.user)
        if wait:
            form.add_error(
                None,
                _("Too many wrong codes. Wait %(seconds)s seconds before trying again.")
                % {"seconds": wait},
            )
        elif two_factor.verify(request=request, token=form.cleaned_data["token"]):
            left = two_factor.backup_codes_left(request.user)
            if left <= 2:
                messages.warning(
                    request,
                    _("You have %(count)s backup codes left: make new ones in My security.")
                    % {"count": left},
                )
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("The code is not valid, or it was used already."))
    return render(request, "registration/second_step.html", _context(request, form=form))


@two_factor.second_step_not_required
@require_http_methods(["GET", "POST"])
def second_step_enroll(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, type the code it shows.

    Someone enrolled already must have passed the second step to change phones: a stolen
    password alone must not replace the authenticator.
    """
    if two_factor.is_enrolled(request.user) and not two_factor.is_verified(request):
        return redirect(f"{reverse('second_step')}?next={_next_url(request)}")
    device = two_factor.enrollment_device(request.user)
    form = NewAuthenticatorForm(request.POST or None)
    if form.is_valid():
        token = two_factor.normalize(form.cleaned_data["token"])
        codes = two_factor.enrollment_confirm(request=request, device=device, token=token)
        if codes is not None:
            return render(
                request,
                "registration/backup_codes.html",
                _context(request, codes=codes, first_time=True),
            )
        form.add_error(
            "token",
            _("That is not the code the app shows now. Check the phone's time and try again."),
        )
    secret = device.key  # hex; apps take base32
    return render(
        request,
        "registration/second_step_enroll.html",
        _context(
            request,
            form=form,
            qr=segno.make(device.config_url, error="m").svg_inline(
                scale=5, dark="#1c1c1c", omitsize=True
            ),
            manual_key=_grouped(_base32(secret)),
            replacing=two_factor.is_enrolled(request.user),
        ),
    )


@require_safe
def account_security(request: HttpRequest) -> HttpResponse:
    """My security: the authenticator, the backup codes left, my latest access events."""
    return render(
        request,
        "registration/account_security.html",
        {
            "enrolled": two_factor.is_enrolled(request.user),
            "required": two_factor.is_needed(request.user),
            "changes_records": two_factor.can_change_records(request.user),
            "codes_left": two_factor.backup_codes_left(request.user),
            "events": AccessEvent.objects.filter(user=request.user)[:10],
        },
    )


@require_POST
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    """Ten new backup codes, shown once; the old ones stop working. Only after the second step."""
    if not two_factor.is_verified(request):
        messages.error(request, _("Pass the second step of login before making new codes."))
        return redirect("account_security")
    codes = two_factor.backup_codes_replace(request.user)
    return render(
        request,
        "registration/backup_codes.html",
        {"codes": codes, "first_time": False, "next": reverse("account_security")},
    )


def _base32(hex_key: str) -> str:
    import base64

    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))
