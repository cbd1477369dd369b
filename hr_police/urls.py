from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import token_views as tokens
from accounts import two_factor
from api.main import api
from hr_police.health import healthz

admin.site.site_header = _("hr_police administration")
admin.site.site_title = "hr_police"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Sign-in pages only: accounts are created by invitation (accounts/urls.py) or by
    # `grant`, and a password-reset e-mail flow would be one more way into a sensitive
    # system.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/2fa/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/tokens/", tokens.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
    # The language switcher. Django's view also answers GET with a bare redirect that
    # changes nothing; POST only keeps it a plain form action.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("accounts.urls")),
    path("", include("workspace.urls")),
    path("", include("liaisons.urls")),
    path("", include("mediation.urls")),
    path("", include("score_replies.urls")),
    path("", include("perception.urls")),
    path("", include("consultations.urls")),
    path("", include("peer_reports.urls")),
]
