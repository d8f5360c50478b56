from django.urls import path  # noqa: F401

from coproduce.privacy.urls_erasure import urlpatterns as erasure_urlpatterns

app_name = "privacy"

urlpatterns: list = [*erasure_urlpatterns]
