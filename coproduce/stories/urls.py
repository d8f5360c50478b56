# Placeholder routes until the stories pages land (being written alongside).
from django.urls import path
from django.views.generic import RedirectView

app_name = "stories"

urlpatterns = [
    path("", RedirectView.as_view(url="/"), name="home"),
    path("mine/", RedirectView.as_view(url="/"), name="mine"),
]
