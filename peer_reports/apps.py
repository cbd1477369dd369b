from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerReportsConfig(AppConfig):
    name = "peer_reports"
    verbose_name = _("Peer-reported incidents")

    def ready(self) -> None:
        # Sharing (agreements, a layer below) raises the peer report an interaction came
        # from with police, whatever the path that shares: page, API or command.
        from agreements.sharing import register_after_share
        from peer_reports.services import raise_after_share

        register_after_share(raise_after_share)
