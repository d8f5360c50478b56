from django.urls import path

from coproduce.promises import views

app_name = "promises"

urlpatterns = [
    path("", views.set_list, name="list"),
    path("ours/", views.public_latest, name="public_latest"),
    path("<int:pk>/", views.set_detail, name="set"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/rank/", views.rank, name="rank"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board/meetings/", views.board_meeting, name="board_meeting"),
    path(
        "<int:pk>/board/decisions/<int:promise_pk>/",
        views.board_decision,
        name="board_decision",
    ),
    path("<int:pk>/co-designers/", views.credits, name="credits"),
    path("<int:pk>/public/", views.public, name="public"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/vote/", views.vote, name="vote"),
    path("proposals/<int:pk>/comment/", views.comment, name="comment"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="decide"),
    path("promise/<int:pk>/", views.promise_detail, name="promise"),
]
