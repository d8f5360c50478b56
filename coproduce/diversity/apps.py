from django.apps import AppConfig


class DiversityConfig(AppConfig):
    name = "coproduce.diversity"
    label = "diversity"

    def ready(self) -> None:
        from coproduce.diversity import replies, signals

        signals.connect()
        replies.register()
