from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "coproduce.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Replies to a session's invitation, reminder or change notice (a text "YES", a reply
        # slip, a phone call) become the invitation's RSVP.
        from coproduce.meetings.replies import REPLY
        from coproduce.messaging import kinds

        for kind in ("invitation", "reminder", "session_changed"):
            kinds.register_reply(kind, REPLY)
