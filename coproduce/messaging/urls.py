from django.urls import path

from coproduce.messaging import views, views_inbound, views_notify

app_name = "messaging"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notify/status/", views_notify.notify_status, name="notify_status"),
    path("notify/inbound/", views_notify.notify_inbound, name="notify_inbound"),
    path("texts/", views_inbound.inbound, name="inbound"),
    path("texts/<int:pk>/", views_inbound.inbound_resolve, name="inbound_resolve"),
    path("letters/", views.letters, name="letters"),
    path("letters/print/", views.letters_print, name="letters_print"),
    path("letters/packs/<int:pk>/", views.letter_pack, name="letter_pack"),
    path("reply-slips/", views.reply_slips, name="reply_slips"),
]
