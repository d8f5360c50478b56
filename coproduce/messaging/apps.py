from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "coproduce.messaging"
    label = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        from coproduce.core import needs
        from coproduce.messaging import kinds, selectors

        kinds.register_standard_kinds()
        needs.register(selectors.letters_need)
