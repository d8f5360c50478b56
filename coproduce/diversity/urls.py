from django.urls import path

from coproduce.diversity import views

app_name = "diversity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("same-old-people/", views.same_old_people, name="same_old_people"),
    path("about-me/", views.about_me, name="about_me"),
    path("about-me/withdraw/", views.about_me_withdraw, name="about_me_withdraw"),
    path("people/<int:pk>/record/", views.record_for_person, name="record_for_person"),
    path("people/<int:pk>/", views.equality_record, name="equality_record"),
    path("people/<int:pk>/withdraw/", views.equality_withdraw, name="equality_withdraw"),
    path("population/", views.population, name="population"),
    path("population/<int:pk>/delete/", views.population_delete, name="population_delete"),
    path("outreach/", views.outreach, name="outreach"),
    path("outreach/<int:pk>/", views.outreach_list, name="outreach_list"),
    path("outreach/<int:pk>/export.csv", views.outreach_export, name="outreach_export"),
    path("ask/", views.quick_questions, name="quick_questions"),
    path("ask/<int:pk>/", views.quick_question, name="quick_question"),
    path("ask/answer/<int:pk>/", views.quick_answer_on_behalf, name="quick_answer_on_behalf"),
    path("ask/r/<str:token>/", views.quick_answer_public, name="quick_answer_public"),
]
