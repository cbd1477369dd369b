"""Forms of the People pages and of the invitation's acceptance page."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.invitations import INVITE_RULES
from agreements.choices import Role
from agreements.models import Site
from liaisons.models import LiaisonOfficer


def _role_choices(roles: list[str]) -> list[tuple[str, Any]]:
    return [(role, Role(role).label) for role in roles]


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.service.name}"


class SiteInviteForm(forms.Form):
    """A site's People page: invite a manager, or a liaison officer of the roster."""

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)
    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=LiaisonOfficer.objects.none(),
        required=False,
        help_text=_(
            "For a liaison officer: who the account is for, from this site's roster. "
            "Officers already linked to an account are not offered."
        ),
    )

    def __init__(self, *args: Any, officers: QuerySet[LiaisonOfficer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [r for r, rule in INVITE_RULES.items() if rule.sites in ("some", "one")]
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]
        self.fields["role"].initial = Role.MANAGER
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class NetworkInviteForm(forms.Form):
    """The network's People page: invite anyone but a liaison (invited from a site's
    roster) to one or more sites, or to every site."""

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A manager: the sites they manage. A researcher: the consenting sites they "
            "read (none: all of them). An administrator: none."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [r for r, rule in INVITE_RULES.items() if not rule.officer]
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]
        self.fields["role"].initial = Role.MANAGER
        self.fields["sites"].queryset = Site.objects.order_by("name")  # type: ignore[attr-defined]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_username()


class GrantForm(forms.Form):
    """The network's People page: give an existing account a role at a site."""

    user = UserChoiceField(label=_("Account"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"))
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        help_text=_("Leave empty for an administrator, or a researcher of every site."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "grant")
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        roles = [r for r, rule in INVITE_RULES.items() if not rule.officer]
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]
        self.fields["site"].queryset = Site.objects.order_by("name")  # type: ignore[attr-defined]


def username_from_email(email: str) -> str:
    """A first suggestion for the user name: the e-mail's part before the @."""
    local = email.split("@", 1)[0].lower()
    return re.sub(r"[^\w.@+-]", "", local)[:150] or "user"


class AcceptForm(forms.Form):
    """The invitation's page: the new account's user name and password."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. You sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("The two passwords differ."))
        return data


class OfficerLinkForm(forms.Form):
    """A site's People page: tie an existing liaison account to an officer of the roster
    (both chosen from lists, never typed as numbers)."""

    officer = OfficerChoiceField(label=_("Officer"), queryset=LiaisonOfficer.objects.none())
    account = UserChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        help_text=_("Liaison accounts not linked to any officer."),
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[LiaisonOfficer],
        accounts: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
