from django.apps import AppConfig


class DiversityConfig(AppConfig):
    name = "coproduce.diversity"
    label = "diversity"

    def ready(self) -> None:
        from coproduce.diversity import replies, signals

        signals.connect()
        replies.register()

        # Outreach invitations (messaging, issue #16): never sent without outreach consent, and
        # a reply to one (a text "YES", a reply slip) is the invitation's RSVP.
        from coproduce.diversity.selectors import outreach_consented
        from coproduce.meetings.replies import REPLY
        from coproduce.messaging import kinds

        kinds.register_consent(kinds.OUTREACH, outreach_consented)
        kinds.register_reply("outreach", REPLY)
