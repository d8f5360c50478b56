from django.urls import path

from coproduce.tsm import views

app_name = "tsm"

urlpatterns = [
    path("", views.year_list, name="list"),
    path("<int:pk>/", views.year_detail, name="year"),
    path("<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("<int:pk>/survey/", views.survey_upload, name="survey_upload"),
    path("<int:pk>/survey/<int:upload_pk>/remove/", views.survey_remove, name="survey_remove"),
    path("<int:pk>/weights/", views.weights_upload, name="weights_upload"),
    path("<int:pk>/weights/clear/", views.weights_clear, name="weights_clear"),
    path("<int:pk>/figures/", views.figures, name="figures"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("results/", views.published_list, name="published"),
    path("results/<slug:slug>/", views.publication_page, name="publication"),
    path("results/<slug:slug>/report.pdf", views.publication_pdf, name="publication_pdf"),
    path("results/<slug:slug>/submission.csv", views.submission_csv, name="submission_csv"),
]
