from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.check_list, name="list"),
    path("<int:pk>/", views.check_detail, name="check"),
    path("<int:pk>/plan/", views.plan_save, name="plan_save"),
    path("<int:pk>/evaluators/", views.evaluator_add, name="evaluator_add"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/notes/", views.evidence_note, name="evidence_note"),
    path("<int:pk>/evidence/import/", views.evidence_import, name="evidence_import"),
    path("<int:pk>/evidence/tsm/", views.evidence_tsm, name="evidence_tsm"),
    path("<int:pk>/evidence/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/evidence/files/<str:token>/", views.evidence_job, name="evidence_job"),
    path("<int:pk>/themes/", views.themes, name="themes"),
    path("<int:pk>/themes/<int:theme_pk>/", views.theme_detail, name="theme"),
    path("<int:pk>/themes/<int:theme_pk>/accept/", views.theme_accept, name="theme_accept"),
    path("<int:pk>/themes/<int:theme_pk>/discard/", views.theme_discard, name="theme_discard"),
    path("<int:pk>/themes/<int:theme_pk>/rename/", views.theme_rename, name="theme_rename"),
    path("<int:pk>/themes/<int:theme_pk>/merge/", views.theme_merge, name="theme_merge"),
    path("<int:pk>/themes/<int:theme_pk>/split/", views.theme_split, name="theme_split"),
    path("<int:pk>/code-next/", views.code_next, name="code_next"),
    path("<int:pk>/code-next/<int:item_pk>/", views.code_next_answer, name="code_next_answer"),
    path("<int:pk>/judgements/", views.judgements, name="judgements"),
    path("<int:pk>/judgements/<int:promise_pk>/", views.judgement_save, name="judgement_save"),
    path("<int:pk>/report/", views.report_view, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report/sections/<int:section_pk>/", views.section_edit, name="section"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path(
        "<int:pk>/follow-up/recommendations/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "<int:pk>/follow-up/recommendations/<int:rec_pk>/response/",
        views.board_response,
        name="board_response",
    ),
    path(
        "<int:pk>/follow-up/recommendations/<int:rec_pk>/actions/",
        views.action_add,
        name="action_add",
    ),
    path(
        "<int:pk>/follow-up/actions/<int:action_pk>/progress/",
        views.action_progress,
        name="action_progress",
    ),
]
