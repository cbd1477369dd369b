"""A site's records as one JSON file: validated import (all or nothing) and export."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "bundles"
    verbose_name = _("Bundles")
