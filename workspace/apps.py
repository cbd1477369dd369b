"""The site's pages: home, overview, every record's list and forms, protocols, audit and sharing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Site workspace")
