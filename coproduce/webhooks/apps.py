from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "coproduce.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
