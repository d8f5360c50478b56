from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "coproduce.meetings"
    label = "meetings"
