from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from coproduce.accounts import roles
from coproduce.core.suppression import suppress
from coproduce.diversity.selectors import ethnic_group
from coproduce.evaluation.models import (
    RATING_VALUE,
    RATINGS,
    Coding,
    Evaluator,
    EvidenceItem,
    HealthCheck,
    Judgement,
    Scale,
    Theme,
    ThemeStatus,
)
from coproduce.people.models import Person

if TYPE_CHECKING:
    from coproduce.accounts.models import User


def evaluator_person(user: User, check: HealthCheck) -> Person | None:
    if not roles.is_tenant(user):
        return None
    return Person.objects.filter(user=user, evaluations__health_check=check).first()


def evaluator_candidates(check: HealthCheck) -> QuerySet[Person]:
    """Members of the check's project who are not yet evaluators of it."""
    return (
        Person.objects.filter(memberships__project=check.promise_set.project)
        .exclude(evaluations__health_check=check)
        .distinct()
        .order_by("last_name", "first_name")
    )


def checks_for_user(user: User) -> QuerySet[HealthCheck]:
    checks = HealthCheck.objects.select_related("promise_set").annotate(
        n_items=Count("evidence", distinct=True), n_evaluators=Count("evaluators", distinct=True)
    )
    if roles.can_see_all_projects(user) or roles.can_read_equality_records(user):
        return checks
    if roles.is_tenant(user):
        return checks.filter(evaluators__person__user=user)
    return checks.none()


def themes_with_counts(check: HealthCheck) -> list[Theme]:
    return list(
        check.themes.exclude(status=ThemeStatus.MERGED)
        .annotate(
            n=Count("codings__item", distinct=True),
            n_people=Count("codings", filter=Q(codings__by_engine=False)),
        )
        .select_related("run")
        .order_by("status", "-n", "label")
    )


def theme_quotes(theme: Theme, n: int = 5) -> list[EvidenceItem]:
    return list(EvidenceItem.objects.filter(codings__theme=theme).distinct().order_by("id")[:n])


def items_page(
    check: HealthCheck, *, theme: Theme | None = None, kind: str = "", q: str = ""
) -> QuerySet[EvidenceItem]:
    items = check.evidence.all()
    if theme is not None:
        items = items.filter(codings__theme=theme).distinct()
    if kind:
        items = items.filter(kind=kind)
    if q:
        items = items.filter(text__icontains=q)
    return items.prefetch_related(
        Prefetch("codings", queryset=Coding.objects.select_related("theme", "promise", "coder"))
    )


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Agreement between two coders beyond chance, over the items both coded."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def agreement(check: HealthCheck) -> list[dict[str, Any]]:
    """Cohen's kappa for every pair of evaluators who coded the same items to promises."""
    codes: dict[int, dict[int, str]] = defaultdict(dict)
    names: dict[int, str] = {}
    for item_id, coder_id, promise_id, first, last in Coding.objects.filter(
        item__health_check=check, by_engine=False, coder__isnull=False, promise__isnull=False
    ).values_list("item_id", "coder_id", "promise_id", "coder__first_name", "coder__last_name"):
        codes[coder_id].setdefault(item_id, str(promise_id))
        names[coder_id] = f"{first} {last}".strip()
    coders = sorted(codes)
    result = []
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            shared = sorted(set(codes[a]) & set(codes[b]))
            if shared:
                result.append(
                    {
                        "a": names[a],
                        "b": names[b],
                        "items": len(shared),
                        "kappa": cohen_kappa([(codes[a][x], codes[b][x]) for x in shared]),
                    }
                )
    return result


def judgements(check: HealthCheck) -> dict[int, Judgement]:
    return {j.promise_id: j for j in check.judgements.prefetch_related("themes", "quotes")}


def rating_label(check: HealthCheck, rating: str) -> str:
    return dict(RATINGS[Scale(check.scale)]).get(rating, rating)


def trend(check: HealthCheck) -> list[dict[str, Any]]:
    """Each promise's rating this year and in earlier checks of the same set."""
    checks = list(
        HealthCheck.objects.filter(promise_set=check.promise_set, year__lte=check.year).order_by(
            "year"
        )
    )
    table: list[dict[str, Any]] = []
    by_check = {c.pk: {j.promise_id: j for j in c.judgements.all()} for c in checks}
    for promise in check.promise_set.promises.filter(dropped=False).order_by("position"):
        years: list[dict[str, Any]] = []
        for c in checks:
            j = by_check[c.pk].get(promise.pk)
            years.append(
                {
                    "year": c.year,
                    "rating": j.rating if j else None,
                    "label": rating_label(c, j.rating) if j else "Not judged",
                    "value": RATING_VALUE.get(j.rating) if j else None,
                }
            )
        table.append({"promise": promise, "years": years})
    return table


def evidence_by_source(check: HealthCheck) -> dict[str, int]:
    counts = dict(check.evidence.values_list("kind").annotate(n=Count("id")).order_by())
    return counts


def method_figures(check: HealthCheck) -> dict[str, Any]:
    """Who was involved and how many voices, with small numbers suppressed."""
    evaluators = Evaluator.objects.filter(health_check=check).select_related(
        "person__equality", "person__equality_consent"
    )
    groups: Counter[str] = Counter()
    for ev in evaluators:
        consent = getattr(ev.person, "equality_consent", None)
        record = getattr(ev.person, "equality", None)
        if consent is not None and consent.statistics and record is not None:
            groups[ethnic_group(record.ethnicity)] += 1
        else:
            groups["not known"] += 1
    by_source = evidence_by_source(check)
    respondents = check.evidence.filter(kind="survey").values("reference").distinct().count()
    return {
        "evaluators": suppress({"n": evaluators.count()}).cells["n"],
        "evaluator_groups": suppress(dict(groups)).cells,
        "items": check.evidence.count(),
        "by_source": by_source,
        "respondents": suppress({"n": respondents}).cells["n"],
        "themes": check.themes.filter(status=ThemeStatus.ACCEPTED).count(),
        "hand_codings": Coding.objects.filter(item__health_check=check, by_engine=False).count(),
        "engine_codings": Coding.objects.filter(item__health_check=check, by_engine=True).count(),
    }
