from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Sites and agreements"

    def ready(self) -> None:
        from agreements import signals  # noqa: F401  (connects the audit and score cache receivers)
