# Placeholder routes until the sessions pages land (being written alongside).
from django.urls import path
from django.views.generic import RedirectView

app_name = "meetings"

urlpatterns = [
    path("", RedirectView.as_view(url="/"), name="list"),
    path("venues/", RedirectView.as_view(url="/"), name="venue_list"),
]
