from django.urls import path

from coproduce.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_create, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path("<int:pk>/rotate-secret/", views.endpoint_rotate, name="endpoint_rotate"),
    path("<int:pk>/test/", views.endpoint_test, name="endpoint_test"),
    path("deliveries/<int:pk>/try-again/", views.delivery_retry, name="delivery_retry"),
]
