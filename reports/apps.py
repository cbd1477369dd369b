"""PDF editions, CSV exports, transparency tables and the network report made in the background."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and exports")

    def ready(self) -> None:
        # The reply page (score_replies, a layer below) shows the liaison edition's factor.
        from reports.editions import liaison_factor
        from score_replies.edition import register_liaison_factor

        register_liaison_factor(liaison_factor)
