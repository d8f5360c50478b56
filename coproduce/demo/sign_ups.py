""" "Get involved" sign-ups waiting for the coordinator."""

from __future__ import annotations

from coproduce.people.models import (
    Availability,
    Channel,
    Interest,
    InterestStatus,
    RewardPreference,
)

SIGN_UPS = (
    (
        "Kayleigh Brennan",
        "kayleigh.brennan@example.com",
        "07700 900412",
        "RV3 2LP",
        [Channel.ONLINE, Channel.TEXT],
        [Availability.WEEKDAY_EVENING],
        RewardPreference.VOUCHER,
        "I've never been to a meeting but I'd like a say about repairs. Evenings after 7 only.",
    ),
    (
        "Abdirahman Yusuf",
        "",
        "07700 900587",
        "RV5 4DH",
        [Channel.PHONE, Channel.IN_PERSON],
        [Availability.WEEKEND],
        RewardPreference.CASH,
        "My English is OK on the phone. I want to help with the damp problem in our block.",
    ),
    (
        "Doris Pickering",
        "",
        "01632 960233",
        "RV1 7QA",
        [Channel.PAPER, Channel.PHONE],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.NONE,
        "I can't do computers. Happy to fill in forms by post.",
    ),
    (
        "Tomasz Zieliński",
        "tomasz.z@example.org",
        "",
        "RV8 3NS",
        [Channel.ONLINE],
        [Availability.WEEKDAY_EVENING, Availability.WEEKEND],
        RewardPreference.TRAINING,
        "Could I get a certificate? I'm looking for work.",
    ),
    (
        "Shanice Clarke",
        "shanice.clarke@example.net",
        "07700 900118",
        "RV2 6EW",
        [Channel.ONLINE, Channel.TEXT],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.VOUCHER,
        "I care for my mum so I can only do school hours, online is best.",
    ),
    (
        "Gareth Pryce",
        "gareth.pryce@example.com",
        "07700 900764",
        "RV9 1BT",
        [Channel.IN_PERSON],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.DONATION,
        "Retired. Live out in Fernhill, no bus after 5pm. Give any money to the food bank.",
    ),
)


def sign_ups_ensure() -> int:
    """Add the sign-ups not there yet (matched by name); returns how many were added."""
    have = set(
        Interest.objects.filter(name__in=[s[0] for s in SIGN_UPS]).values_list("name", flat=True)
    )
    new = [
        Interest(
            name=name,
            email=email,
            phone=phone,
            postcode=postcode,
            preferred_channels=list(channels),
            availability=list(availability),
            reward_preference=reward,
            message=message,
            contact_consent=True,
            status=InterestStatus.NEW,
        )
        for name, email, phone, postcode, channels, availability, reward, message in SIGN_UPS
        if name not in have
    ]
    Interest.objects.bulk_create(new)
    return len(new)
