"""Fictional demo data (`seed_demo`), the large demo and `make bench`. No production code
imports it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Demo data and benchmarks")
