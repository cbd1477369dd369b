from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoreRepliesConfig(AppConfig):
    name = "score_replies"
    verbose_name = _("The police service's right of reply")
