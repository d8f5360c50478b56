from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home pages, the navigation and the audit-log page: the roof over the capabilities."""

    name = "coproduce.home"
    label = "home"

    def ready(self) -> None:
        # Password reset emails go through messaging (accounts, below it, cannot send there).
        from coproduce.accounts.forms import register_reset_sender
        from coproduce.home import password_reset

        register_reset_sender(password_reset.send)
