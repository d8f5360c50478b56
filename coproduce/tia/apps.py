from django.apps import AppConfig


class TiaConfig(AppConfig):
    """The evidence pack for the regulator's Transparency, Influence and Accountability
    Standard: what the platform already holds, section by section, for the board and tenants."""

    name = "coproduce.tia"
    label = "tia"
    verbose_name = "TIA evidence pack"
