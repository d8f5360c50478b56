from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "coproduce.stories"
    label = "stories"
