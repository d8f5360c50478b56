from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API for the landlord's own systems (/api/v1/): tokens with scopes, the
    resources, problem details. It reads and writes through the other apps' services."""

    name = "coproduce.api"
    label = "api"
    verbose_name = "API"
