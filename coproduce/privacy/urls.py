from django.urls import path

from coproduce.privacy import urls_retention, views
from coproduce.privacy.urls_erasure import urlpatterns as erasure_urlpatterns

app_name = "privacy"

urlpatterns = [
    path("requests/", views.register, name="register"),
    path("requests/new/", views.request_open, name="open"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/close/", views.request_close, name="close"),
    path("requests/<int:pk>/extend/", views.request_extend, name="extend"),
    path("requests/<int:pk>/export/", views.export_generate, name="export"),
    path("requests/<int:pk>/export/download/", views.export_download, name="export_download"),
    path("ask/", views.ask, name="ask"),
    *erasure_urlpatterns,
    *urls_retention.urlpatterns,
]
