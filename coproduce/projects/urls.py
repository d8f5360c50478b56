from django.urls import path
from django.views.generic import RedirectView

app_name = "projects"

urlpatterns = [
    path("", RedirectView.as_view(url="/"), name="list"),
    path("help/", RedirectView.as_view(url="/"), name="support_list"),
]
