from django.urls import path

from coproduce.tia import views

app_name = "tia"

urlpatterns = [
    path("", views.pack, name="pack"),
    path("pack.pdf", views.pack_pdf, name="pack_pdf"),
]
