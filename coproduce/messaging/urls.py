from django.urls import path

from coproduce.messaging import views

app_name = "messaging"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("letters/", views.letters, name="letters"),
    path("letters/print/", views.letters_print, name="letters_print"),
    path("letters/packs/<int:pk>/", views.letter_pack, name="letter_pack"),
    path("reply-slips/", views.reply_slips, name="reply_slips"),
]
