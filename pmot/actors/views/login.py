"""The login page."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from pmot.actors import lockout


class LoginView(auth_views.LoginView):
    """Django's login page; a login refused by the lockout gets the lockout page (429) with the
    wait left and what was locked, the account name or the address."""

    redirect_authenticated_user = True

    def form_invalid(self, form):
        lock = lockout.lock_of(self.request)
        if lock is None:
            return super().form_invalid(form)
        context = {"by_account": lock.scope == lockout.Scope.ACCOUNT}
        context["minutes"] = lock.minutes_left()
        return render(self.request, "registration/locked_out.html", context, status=429)
