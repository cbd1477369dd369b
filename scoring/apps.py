"""The five-factor rubric, the inputs it reads, cached scorecards, the dashboard, trends
and weights."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scores")

    def ready(self) -> None:
        from scoring import signals  # noqa: F401  (connects its receivers)
