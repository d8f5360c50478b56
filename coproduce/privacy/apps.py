from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "coproduce.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from coproduce.privacy import consent

        consent.connect()
