from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "coproduce.messaging"
    label = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        from coproduce.messaging import kinds

        kinds.register_standard_kinds()
