from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"

    def ready(self) -> None:
        from coproduce.accounts import signals  # noqa: F401
