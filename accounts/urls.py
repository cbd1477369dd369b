"""The People pages and the invitation link (included by hr_police/urls.py)."""

from django.urls import path, re_path

from accounts import invitation_views, people_views

urlpatterns = [
    # Tokens come from secrets.token_urlsafe: letters, digits, "-" and "_".
    re_path(
        r"^accounts/invitation/(?P<token>[A-Za-z0-9_-]{1,100})/$",
        invitation_views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("people/", people_views.network_people, name="network_people"),
    path(
        "people/invitations/<int:pk>/revoke/",
        people_views.network_invitation_revoke,
        name="network_invitation_revoke",
    ),
    path(
        "people/roles/<int:pk>/remove/",
        people_views.network_membership_end,
        name="network_membership_end",
    ),
    path("people/users/<int:pk>/active/", people_views.network_user_active, name="user_active"),
    path("sites/<slug:slug>/people/", people_views.site_people, name="site_people"),
    path(
        "sites/<slug:slug>/people/invitations/<int:pk>/revoke/",
        people_views.site_invitation_revoke,
        name="site_invitation_revoke",
    ),
    path(
        "sites/<slug:slug>/people/roles/<int:pk>/remove/",
        people_views.site_membership_end,
        name="site_membership_end",
    ),
    path(
        "sites/<slug:slug>/people/officers/link/",
        people_views.site_officer_link,
        name="site_officer_link",
    ),
    path(
        "sites/<slug:slug>/people/officers/<int:pk>/unlink/",
        people_views.site_officer_unlink,
        name="site_officer_unlink",
    ),
]
