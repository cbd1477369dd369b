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
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def site_context(access: SiteAccess, **extra: Any) -> dict[str, Any]:
    # The site menu's record kinds come from the workspace's context processor.
    return {"site": access.site, "access": access, **extra}
