from django.urls import path

from coproduce.api import views
from coproduce.api.v1 import api

app_name = "api"

urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("new/", views.token_create, name="token_create"),
    path("<int:pk>/", views.token_detail, name="token_detail"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

# Mounted by the project as /api/v1/ (django-ninja's own URL patterns, namespace "api-v1").
v1_urls = api.urls
