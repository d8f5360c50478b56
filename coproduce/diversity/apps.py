from django.apps import AppConfig


class DiversityConfig(AppConfig):
    name = "coproduce.diversity"
    label = "diversity"
