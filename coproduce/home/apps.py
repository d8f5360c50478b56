from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home pages, the navigation and the audit-log page: the roof over the capabilities."""

    name = "coproduce.home"
    label = "home"
