"""The regulator's Transparency, Influence and Accountability (TIA) Standard, April 2024.

Source: Regulator of Social Housing, "Transparency, Influence and Accountability Standard"
(consumer standards, 1 April 2024), gov.uk/government/publications/
transparency-influence-and-accountability-standard.

The required outcomes (section 1) are quoted word for word. The specific expectations
(section 2) are referred to by their section number and told in short, in plain words: they are
a summary, not a quotation, and the pack says so. The pack's sections follow the Standard's
order, 1.1 to 1.6.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    number: str  # "1.3"
    heading: str  # the Standard's own heading
    paragraph: str  # "1.3.1"
    quote: str  # the required outcome, word for word
    expectations: str  # the specific expectations' section, e.g. "2.2"
    in_short: str  # what those expectations ask, in plain words (a summary, not a quote)
    anchor: str


FAIRNESS = Outcome(
    number="1.1",
    heading="Fairness and respect",
    paragraph="1.1.1",
    quote="Registered providers must treat tenants (see the glossary of terms for a definition) "
    "and prospective tenants with fairness and respect.",
    expectations="",
    in_short="",
    anchor="fairness",
)
DIVERSE_NEEDS = Outcome(
    number="1.2",
    heading="Diverse needs",
    paragraph="1.2.1",
    quote="In relation to the housing and landlord services they provide, registered providers "
    "must take action to deliver fair and equitable outcomes for tenants and, where relevant, "
    "prospective tenants.",
    expectations="2.1",
    in_short="Use what you know to understand tenants' different needs (including protected "
    "characteristics), and check that services are fair for everyone.",
    anchor="diverse-needs",
)
ENGAGEMENT = Outcome(
    number="1.3",
    heading="Engagement with tenants",
    paragraph="1.3.1",
    quote="Registered providers must take tenants' views into account in their decision-making "
    "about how landlord services are delivered and communicate how tenants' views have been "
    "considered.",
    expectations="2.2",
    in_short="Give tenants many real chances to influence and scrutinise strategies, policies "
    "and services, and tell them how their views were used.",
    anchor="engagement",
)
INFORMATION = Outcome(
    number="1.4",
    heading="Information about landlord services",
    paragraph="1.4.1",
    quote="Registered providers must communicate with tenants and provide information so "
    "tenants can use landlord services, understand what to expect from their landlord, and hold "
    "their landlord to account.",
    expectations="2.3",
    in_short="Tell tenants clearly what service to expect.",
    anchor="information",
)
PERFORMANCE = Outcome(
    number="1.5",
    heading="Performance information",
    paragraph="1.5.1",
    quote="Registered providers must collect and provide information to support effective "
    "scrutiny by tenants of their landlord's performance in delivering landlord services.",
    expectations="2.4",
    in_short="Collect and publish performance information, including the Tenant Satisfaction "
    "Measures, so tenants can check how well the landlord does.",
    anchor="performance",
)
COMPLAINTS = Outcome(
    number="1.6",
    heading="Complaints",
    paragraph="1.6.1",
    quote="Registered providers must ensure complaints are addressed fairly, effectively, and "
    "promptly.",
    expectations="2.5",
    in_short="Deal with complaints fairly and quickly, and tell tenants how to complain.",
    anchor="complaints",
)

OUTCOMES = [FAIRNESS, DIVERSE_NEEDS, ENGAGEMENT, INFORMATION, PERFORMANCE, COMPLAINTS]
