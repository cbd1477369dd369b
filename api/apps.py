"""The /api/v1 interface: JSON, CSV and iCalendar answers over the services and selectors
below it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("HTTP API")
