from django.urls import path

from coproduce.stories import views

app_name = "stories"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("mine/check-in/", views.check_in, name="check_in"),
    path("projects/<int:pk>/journal/", views.journal, name="journal"),
    path("journal/files/<int:pk>/", views.journal_file, name="journal_file"),
    path("new/", views.story_create, name="create"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/edit/", views.story_edit, name="edit"),
    path("<int:pk>/split/", views.story_split, name="split"),
    path("learning/", views.learning, name="learning"),
    path("learning/download/", views.learning_download, name="learning_download"),
    path("impact/", views.impact, name="impact"),
    path("impact/new/", views.impact_create, name="impact_create"),
    path("report/", views.report_latest, name="report_latest"),
    path("report/<int:year>/", views.report, name="report"),
    path("report/<int:year>/download/", views.report_download, name="report_download"),
    path("public/", views.public_index, name="public_index"),
    path("public/<uuid:public_id>/", views.public_story, name="public"),
]
