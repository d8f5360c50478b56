from django.urls import path

from coproduce.messaging import (
    views,
    views_answer,
    views_inbound,
    views_notify,
    views_preferences,
    views_staff,
)

app_name = "messaging"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("answer/<str:token>/", views_answer.answer, name="answer"),
    path("notify/status/", views_notify.notify_status, name="notify_status"),
    path("notify/inbound/", views_notify.notify_inbound, name="notify_inbound"),
    path("texts/", views_inbound.inbound, name="inbound"),
    path("texts/<int:pk>/", views_inbound.inbound_resolve, name="inbound_resolve"),
    path("letters/", views.letters, name="letters"),
    path("letters/print/", views.letters_print, name="letters_print"),
    path("letters/packs/<int:pk>/", views.letter_pack, name="letter_pack"),
    path("reply-slips/", views.reply_slips, name="reply_slips"),
    # Staff pages: the outbox, one message, who could not be reached, the phone list.
    path("outbox/", views_staff.outbox, name="outbox"),
    path("outbox/<int:pk>/", views_staff.message_detail, name="message"),
    path("unreached/", views_staff.unreached, name="unreached"),
    path("phone-list/", views_staff.phone_list, name="phone_list"),
    path("phone-list/<int:pk>/", views_staff.phone_outcome, name="phone_outcome"),
    # Contact preferences: a person's own, and staff on their behalf.
    path("preferences/", views_preferences.my_preferences, name="my_preferences"),
    path("preferences/<int:pk>/", views_preferences.preferences, name="preferences"),
]
