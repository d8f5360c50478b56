from django.apps import AppConfig


class TsmConfig(AppConfig):
    name = "coproduce.tsm"
    label = "tsm"
    verbose_name = "Tenant Satisfaction Measures"
