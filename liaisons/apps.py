from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "liaisons"
    verbose_name = _("Police liaisons and check-ins")

    def ready(self) -> None:
        # The guard on site records (agreements, a layer below) learns the roster from here.
        from agreements.pii_guard import register_roster
        from liaisons.roster import site_officer_names

        register_roster(site_officer_names)
