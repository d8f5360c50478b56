"""The retention page's address; included from privacy/urls.py (namespace "privacy")."""

from django.urls import path

from coproduce.privacy import views_retention

urlpatterns = [
    path("retention/", views_retention.retention_schedule, name="retention"),
]
