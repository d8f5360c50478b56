from django.urls import path

from coproduce.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("audit/", views.audit_log, name="audit_log"),
]
