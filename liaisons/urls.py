from django.urls import path, re_path

from liaisons import calendar_views

app_name = "liaisons"

urlpatterns = [
    # Tokens come from secrets.token_urlsafe: letters, digits, "-" and "_".
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{1,100})\.ics$",
        calendar_views.calendar_feed,
        name="calendar_feed",
    ),
    path("sites/<slug:slug>/calendar/", calendar_views.calendar_links, name="calendar_links"),
    path(
        "sites/<slug:slug>/calendar/<int:pk>/revoke/",
        calendar_views.calendar_link_revoke,
        name="calendar_link_revoke",
    ),
]
