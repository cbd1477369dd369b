"""The signed-in user's own API tokens (`/accounts/tokens/`): list, create, revoke.

A new token is shown once, in the answer to the POST that made it, and never again:
only its hash is stored. The page is behind the second factor like every other page,
so a stolen password alone cannot mint a token.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.tokens import MAX_DAYS, token_create, token_revoke
from agreements.models import ApiToken, TokenScope
from agreements.views.base import apply_errors


class ApiTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("Works for (days)"),
        required=False,  # the setting's default, as the command has it
        min_value=1,
        max_value=MAX_DAYS,
        help_text=_("After this many days the token stops working; make a new one then."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.HR_POLICE_API_TOKEN_DAYS
        # Left out, the scope is the model's default: read-only.
        self.fields["scope"].required = False


def _owner(request: HttpRequest) -> User:
    """The signed-in user: every view here is behind `login_required`."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = ApiTokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = token_create(
                user=owner,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                scope=form.cleaned_data["scope"] or TokenScope.READ,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "registration/api_tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=owner),
            "new_token": new_token,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """POST only; another user's token (or none) is 404 whatever the method."""
    token = ApiToken.objects.filter(user=_owner(request), pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token_revoke(token=token, actor=request.user)
    messages.success(
        request,
        gettext("The token %(name)s (%(prefix)s…) no longer works.")
        % {"name": token.name, "prefix": token.prefix},
    )
    return redirect("api_tokens")
