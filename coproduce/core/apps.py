from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coproduce.core"
    label = "core"

    def ready(self) -> None:
        from coproduce.core import text

        # One rule for text in every model and form of ours: see coproduce/core/text.py.
        text.install()
