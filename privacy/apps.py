"""The rules that keep clients unidentifiable: the PII guard and small-count suppression.
Plain functions over plain data: no database, no Django models."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy rules")
