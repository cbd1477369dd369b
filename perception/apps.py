from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerceptionConfig(AppConfig):
    name = "perception"
    verbose_name = _("Two-sided self-assessment")
