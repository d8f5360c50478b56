from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.check_list, name="list"),
    path("<int:pk>/", views.check_detail, name="check"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/evidence/files/<str:token>/", views.evidence_job, name="evidence_job"),
    path("<int:pk>/themes/", views.themes, name="themes"),
    path("<int:pk>/themes/<int:theme_pk>/", views.theme_detail, name="theme"),
    path("<int:pk>/themes/<int:theme_pk>/action/", views.theme_action, name="theme_action"),
    path("<int:pk>/judgements/", views.judgements, name="judgements"),
    path("<int:pk>/report/", views.report_view, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report/sections/<int:section_pk>/", views.section_edit, name="section"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
]
