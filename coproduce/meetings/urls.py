from django.urls import path

from coproduce.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/print/", views.meeting_print, name="print"),
    path("<int:pk>/calendar.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/register/", views.meeting_register, name="register"),
    path("<int:pk>/room/", views.meeting_book_room, name="book_room"),
    path("<int:pk>/room/release/", views.meeting_release_room, name="release_room"),
    path("<int:pk>/staff/", views.meeting_assign_staff, name="assign_staff"),
    path("<int:pk>/staff/<int:staff_pk>/remove/", views.meeting_remove_staff, name="remove_staff"),
    path("invitations/<int:pk>/reply/", views.rsvp, name="rsvp"),
    path("invitations/<int:pk>/reply-for/", views.rsvp_on_behalf, name="rsvp_on_behalf"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("people/<int:person_pk>/history/", views.person_history, name="person_history"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/new/", views.venue_edit, name="venue_create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:venue_pk>/rooms/new/", views.room_edit, name="room_create"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/delete/", views.room_delete, name="room_delete"),
    path("resourcing/<int:project_pk>/", views.project_resourcing, name="resourcing"),
]
