"""Which models hold data that names or concerns a person, found from the models themselves.

Subject access and erasure must cover every model that links to a person (directly to
`people.Person`, or to the person's login `accounts.User`). Listing the links by
introspection means a new model with such a link cannot be forgotten: the coverage tests
compare this list with what the export and the erasure declare they handle.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class PersonLink:
    model: type[models.Model]
    field: str  # the field on `model` that points at the person or their login
    target: str  # "person" or "user"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


def person_links() -> list[PersonLink]:
    person = apps.get_model("people", "Person")
    user = apps.get_model("accounts", "User")
    found: list[PersonLink] = []
    for model in apps.get_models():
        if not model.__module__.startswith("coproduce."):
            continue
        for field in model._meta.get_fields():
            relation = field.many_to_one or field.one_to_one or field.many_to_many
            if not field.concrete or not relation:
                continue
            if field.related_model is person:
                found.append(PersonLink(model, field.name, "person"))
            elif field.related_model is user:
                found.append(PersonLink(model, field.name, "user"))
    return sorted(found, key=lambda link: link.label)
