from django.urls import path

from coproduce.people import views, views_import

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/login/", views.person_login_create, name="login_create"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/edit/", views.my_profile_edit, name="my_profile_edit"),
    path("get-involved/", views.get_involved, name="get_involved"),
    path("get-involved/thanks/", views.get_involved_thanks, name="get_involved_thanks"),
    path("sign-ups/", views.interest_list, name="interest_list"),
    path("sign-ups/<int:pk>/", views.interest_decide, name="interest_decide"),
    path("import/", views_import.import_people, name="import"),
    path("import/<str:token>/", views_import.import_job, name="import_job"),
]
