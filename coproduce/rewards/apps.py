from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "coproduce.rewards"
    label = "rewards"
