from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "coproduce.promises"
    label = "promises"
