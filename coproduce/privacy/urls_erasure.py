"""Erasure and restriction pages; included from privacy/urls.py (app name "privacy")."""

from django.urls import path

from coproduce.privacy import views_erasure

urlpatterns = [
    path("requests/<int:pk>/erase/", views_erasure.erasure_review, name="erasure_review"),
    path("people/<int:pk>/restriction/", views_erasure.restriction, name="restriction"),
]
