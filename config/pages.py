"""What the views of every app share: refusals answered with a page that says why, the signed-in user
typed as our user model, and the status of a page showing a form."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from profiles.models import User

View = Callable[..., HttpResponse]


def refusals_shown(view: View) -> View:
    """Refusals (403) and bad requests (400) answered with a page that says why."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return refused(request, str(refusal), status=403)
        except BadRequest as error:
            return refused(request, str(error), status=400)

    return wrapper


def refused(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    title = _("Not allowed") if status == 403 else _("This request cannot be answered")
    context = {"title": title, "reason": reason or _("You may not do this here.")}
    return render(request, "error.html", context, status=status)


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind login_required."""
    assert isinstance(request.user, User)
    return request.user


def form_status(*forms: Form) -> int:
    """400 for a page showing a form sent back with errors, else 200."""
    return 400 if any(form.errors for form in forms) else 200
