"""The files under /api/v1 that are not JSON: the research CSV exports and a site's
iCalendar feed. Plain Django views (ninja describes JSON operations), taking the same
Bearer tokens or session, rate limit and audit as the JSON API (`accounts.tokens`)."""

from django.urls import path

from api import calendar, exports

app_name = "api_files"

urlpatterns = [
    path("exports/interactions.csv", exports.interactions_csv, name="interactions_csv"),
    path("exports/transparency.csv", exports.transparency_csv, name="transparency_csv"),
    path("sites/<slug:slug>/calendar.ics", calendar.site_calendar_ics, name="site_calendar"),
]
