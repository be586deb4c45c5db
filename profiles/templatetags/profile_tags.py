from collections.abc import Iterable

from django import template
from django.forms import BaseForm

from profiles.selectors import initials_of

register = template.Library()


@register.filter
def any_errors(forms: Iterable[BaseForm]) -> bool:
    """Whether any of `forms` has an error (a page with several forms shows one summary for all)."""
    return any(form.errors for form in forms)


register.filter("initials", initials_of)
