"""What every site page shares: resolving the site through the access helper, working in
the site's timezone, and turning service validation errors into form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from agreements.access import Permission, SiteAccess, site_access
from agreements.pii_forms import ConfirmPii, warned_fields

SiteView = Callable[..., HttpResponseBase]


def site_view(permission: Permission) -> Callable[[SiteView], SiteView]:
    """Resolve `slug` for the signed-in user (404 / 403) and render in the site's timezone."""

    def decorate(view: SiteView) -> SiteView:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            access = site_access(request.user, slug, permission)
            with timezone.override(access.site.tz):
                return view(request, access, *args, **kwargs)

        return wrapper

    return decorate


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on top."""
    # The errors themselves, not their messages: a PII warning is told apart by its code.
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)
    if isinstance(form, ConfirmPii):
        form.offer_confirmation(warned_fields(form))


def site_context(access: SiteAccess, **extra: Any) -> dict[str, Any]:
    # The site menu's record kinds come from the workspace's context processor.
    return {"site": access.site, "access": access, **extra}
