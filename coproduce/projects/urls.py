from django.urls import path

from coproduce.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/assessment/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/stages/new/", views.stage_edit, name="stage_create"),
    path("<int:pk>/stages/<int:stage_pk>/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/decisions/new/", views.decision_edit, name="decision_create"),
    path("<int:pk>/decisions/<int:decision_pk>/", views.decision_edit, name="decision_edit"),
    path("<int:pk>/decisions/<int:decision_pk>/tell/", views.decision_tell, name="decision_tell"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/leave/", views.member_leave, name="member_leave"),
    path("<int:pk>/team/", views.staff_add, name="staff_add"),
    path("<int:pk>/team/<int:staff_pk>/remove/", views.staff_remove, name="staff_remove"),
    path("help/", views.support_list, name="support_list"),
    path("help/new/", views.support_create, name="support_create"),
    path("help/<int:pk>/", views.support_triage, name="support_triage"),
]
