from django.urls import path  # noqa: F401

from coproduce.privacy import urls_retention

app_name = "privacy"

urlpatterns: list = [*urls_retention.urlpatterns]
