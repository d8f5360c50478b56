from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "coproduce.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from coproduce.core import needs
        from coproduce.privacy import consent, selectors

        consent.connect()
        needs.register(selectors.requests_due_need)
