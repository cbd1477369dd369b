from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediation threads on shared interactions")

    def ready(self) -> None:
        # Sharing (agreements, a layer below) opens the interaction's thread, whatever the
        # path that shares: the share page, the API or a command.
        from agreements.sharing import register_after_share
        from mediation.services import open_thread_after_share

        register_after_share(open_thread_after_share)
