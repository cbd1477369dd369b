from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Community consultations on protocol versions")

    def ready(self) -> None:
        # Signing a version (agreements, a layer below) closes its consultation, whatever
        # the path that signs: the signing page, the API or a command.
        from agreements.services import register_after_sign
        from consultations.services import close_after_sign

        register_after_sign(close_after_sign)
