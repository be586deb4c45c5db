"""Where Convene's accounts depart from allauth's defaults, so that no one can learn who has an account
by asking for a password reset, nor lock a member out by failing to log in as them.

- A reset is answered the same way for any address: allauth mails the link to a member, and to an
  unknown address a note that it has no account here. Only then does allauth's `reset_password` rate
  limit apply to every request (it counts valid forms only).
- Failed log-ins are counted per account *and client address* (allauth's `key` limit, 5 in 5 minutes)
  and per address (its `ip` limit): a stranger who fails from their own address slows only themselves.
- A slower backstop per account, from every address (`LOGIN_FAILED_ACCOUNT_RATE_LIMIT`), stops a
  guessing spread over many addresses; addresses the member has logged in from before are exempt, so
  that even then they still log in from their usual devices, and a password reset lifts it.

allauth loads this module (ACCOUNT_ADAPTER, ACCOUNT_FORMS) after its own forms, which profiles.forms
must not import: it is kept apart from them.
"""

import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ResetPasswordForm
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

ACCOUNT_BACKSTOP = "login_failed_account"
# How long an address that logged in to an account stays exempt from that account's backstop.
KNOWN_ADDRESS_DAYS = 90


class PasswordResetForm(ResetPasswordForm):
    """allauth's reset form, which never says whether an address belongs to an account."""

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as refused:
            if refused.code != "unknown_email":
                raise
            return self.cleaned_data["email"]  # with no users to send a link to


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's per-key limit counts the attempts on one account from one address.
        return f"{self._account_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if self._from_known_address(request, **credentials):
            return
        if not self._backstop(request, dry_run=True, **credentials):
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            self._remember_address(request, **credentials)
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        if not self._from_known_address(request, **credentials):
            self._backstop(request, **credentials)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """After a password reset (allauth calls this for each of the member's addresses): whoever reset
        it reads the member's mail, so the account's backstop is lifted and this address becomes one of
        theirs; otherwise strangers who had filled the backstop would keep them out even then."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=ACCOUNT_BACKSTOP,
            config=self._backstop_rates(),
            key=self._account_key(request, **credentials),
        )
        self._remember_address(request, **credentials)

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _known_address_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Hashed, as allauth's own keys are: the cache holds no email address nor client address.
        pair = self._get_login_attempts_cache_key(request, **credentials)
        return f"accounts:known-address:{hashlib.sha256(pair.encode()).hexdigest()}"

    def _remember_address(self, request: HttpRequest, **credentials: Any) -> None:
        cache.set(self._known_address_key(request, **credentials), True, KNOWN_ADDRESS_DAYS * 86400)

    def _from_known_address(self, request: HttpRequest, **credentials: Any) -> bool:
        return bool(cache.get(self._known_address_key(request, **credentials)))

    def _backstop_rates(self) -> dict[str, str]:
        return {ACCOUNT_BACKSTOP: settings.LOGIN_FAILED_ACCOUNT_RATE_LIMIT}

    def _backstop(self, request: HttpRequest, *, dry_run: bool = False, **credentials: Any) -> bool:
        """Whether the account may be tried once more from a new address (and, unless `dry_run`, count
        this failure): the same counters and cache as allauth's own limits."""
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action=ACCOUNT_BACKSTOP,
            config=self._backstop_rates(),
            key=self._account_key(request, **credentials),
            dry_run=dry_run,
        )
        return usage is not None
