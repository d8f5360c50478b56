"""Follow every link a persona is shown, breadth-first, with Django's test client.

The link crawl fails on any link that leads to an error for the persona who
was shown it; the browser crawl (tests/browser/test_crawl.py) visits the pages it found.

What is followed: every same-origin `<a href>` and every GET form (sent with its fields' starting
values). What is not: links meant to leave (mailto:, tel:, other sites, #fragments, static files).
POST forms are not sent here: their action is collected, and the caller asks whether the persona
may post there (the permission matrix's EXPECTED table) and may probe it in a rolled-back
savepoint (`post_probe`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.permission_routes import KWARGS
from tests.test_permissions import ANONYMOUS, EXPECTED, OK, PostOnly

# Paginated and sorted variants of one page: only the first few of each are followed.
VARIANT_PARAMS = frozenset({"page", "sort", "order"})
VARIANTS_PER_PAGE = 3
# Other query strings (filters, formats) of one path: enough to see each kind, not every value.
QUERIES_PER_PATH = 8
PAGE_LIMIT = 400
ORIGIN = "http://testserver"  # the test client's


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: tuple[tuple[str, str], ...]


class _Links(HTMLParser):
    """Collects `<a href>` and forms (with each field's starting value) from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.forms: list[Form] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action", ""),
                "fields": [],
            }
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._form is not None:
            name, value = self._form["fields"][-1]
            if not value and data.startswith("\n"):  # a browser drops it, and so do we
                data = data[1:]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            self._form["fields"].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(
                Form(self._form["method"], self._form["action"], tuple(self._form["fields"]))
            )
            self._form = None


@dataclass
class Page:
    url: str
    status: int
    route: str  # the route name, as reverse() wants it
    content_type: str
    download: bool = False  # sent as an attachment, even if it is HTML


@dataclass(frozen=True)
class DeadEnd:
    page: str  # where the link was shown
    link: str  # where it leads
    answer: str  # what the persona got there


@dataclass(frozen=True)
class PostButton:
    page: str
    action: str
    route: str
    fields: tuple[tuple[str, str], ...]  # what the form sends if nothing is typed in


# Pages whose markup is a library's, not ours: the API's Swagger UI (django-ninja's copy of
# swagger-ui), a tool for the developers of the landlord's systems. Its colours are ours and
# pass (tests/browser/test_api_docs.py); its nested buttons are swagger-ui's own, reported
# in docs/api.md, where the same reference is given as plain text.
NOT_OUR_MARKUP = frozenset({"api-v1:openapi-view"})


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    dead_ends: list[DeadEnd] = field(default_factory=list)
    post_buttons: list[PostButton] = field(default_factory=list)
    skipped: int = 0  # variants collapsed or over the page limit

    def html_pages(self) -> list[Page]:
        return [
            p
            for p in self.pages.values()
            if p.status == 200
            and _is_html(p.content_type)
            and not p.download
            and p.route not in NOT_OUR_MARKUP
        ]

    def one_per_route(self) -> list[Page]:
        """The first HTML page found for each route name."""
        seen: dict[str, Page] = {}
        for page in self.html_pages():
            seen.setdefault(page.route, page)
        return list(seen.values())


def route_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "(no route)"


def _is_html(content_type: str) -> bool:
    return content_type.startswith("text/html")


def _local(base: str, href: str) -> str | None:
    """The site-relative URL a link leads to, or None for a link that is meant to leave."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(urljoin(ORIGIN + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(settings.STATIC_URL):
        return None
    # Media files are checked too if a view serves them: MEDIA_URL is not served directly.
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _key(url: str) -> tuple[str, str]:
    """Pages that differ only in pagination or sort order share a key."""
    parts = urlsplit(url)
    rest = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in VARIANT_PARAMS)
    return parts.path, urlencode(rest)


def _answer(response: HttpResponse) -> str:
    return f"{response.status_code} {response.reason_phrase}"


class Crawler:
    def __init__(self, client: Client, *, signed_in: bool, limit: int = PAGE_LIMIT) -> None:
        self.client = client
        self.signed_in = signed_in
        self.limit = limit
        self.login = reverse("accounts:login")
        self.result = Crawl()
        self._queue: deque[tuple[str, str]] = deque()  # (url, shown on)
        self._seen: set[str] = set()
        self._variants: dict[tuple[str, str], int] = {}
        self._queries: dict[str, set[str]] = {}

    def run(self, start: Iterable[str]) -> Crawl:
        for url in start:
            self._enqueue(url, "(start)")
        while self._queue:
            url, source = self._queue.popleft()
            if len(self.result.pages) >= self.limit:
                self.result.skipped += 1
                continue
            self._visit(url, source)
        return self.result

    def _enqueue(self, url: str, source: str) -> None:
        if url in self._seen:
            return
        path, rest = _key(url)
        variants = self._variants.get((path, rest), 0)
        queries = self._queries.setdefault(path, set())
        if variants >= VARIANTS_PER_PAGE or (
            rest not in queries and len(queries) >= QUERIES_PER_PATH
        ):
            self.result.skipped += 1
            return
        self._seen.add(url)
        self._variants[(path, rest)] = variants + 1
        queries.add(rest)
        self._queue.append((url, source))

    def _visit(self, url: str, source: str) -> None:
        response = self.client.get(url)
        content_type = response.get("Content-Type", "")
        self.result.pages[url] = Page(
            url,
            response.status_code,
            route_name(urlsplit(url).path),
            content_type,
            download=response.get("Content-Disposition", "").startswith("attachment"),
        )
        if response.status_code in (301, 302, 303, 307, 308):
            target = _local(url, response["Location"])
            if self.signed_in and target and target.startswith(self.login):
                self.result.dead_ends.append(DeadEnd(source, url, "sent to sign in"))
            elif target:
                self._enqueue(target, url)
            return
        if response.status_code >= 400:
            self.result.dead_ends.append(DeadEnd(source, url, _answer(response)))
            return
        if not _is_html(content_type) or self.result.pages[url].download:
            if response.streaming:
                # Read to the end, as a browser would, so that a download failing part way shows.
                # The test client closes a streamed response when its content runs out; calling
                # close() here instead would fire request_finished with Django's connection
                # clean-up attached, and on PostgreSQL that closes the test's own connection.
                b"".join(response.streaming_content)
            return
        parser = _Links()
        parser.feed(response.content.decode(response.charset or "utf-8"))
        for href in parser.hrefs:
            target = _local(url, href)
            if target:
                self._enqueue(target, url)
        for form in parser.forms:
            action = _local(url, form.action or url)
            if action is None:
                continue
            if form.method == "get":
                parts = urlsplit(action)
                query = urlencode([(k, v) for k, v in form.fields if v])
                self._enqueue(urlunsplit(("", "", parts.path, query, "")), url)
            else:
                path = urlsplit(action).path
                self.result.post_buttons.append(
                    PostButton(url, action, route_name(path), form.fields)
                )


def crawl(
    client: Client, start: Iterable[str], *, signed_in: bool, limit: int = PAGE_LIMIT
) -> Crawl:
    return Crawler(client, signed_in=signed_in, limit=limit).run(start)


def post_probe(client: Client, button: PostButton) -> int:
    """The status pressing `button` answers (the form sent as it stands, nothing typed in), with
    everything it wrote rolled back.

    A refusal (403, 404) or 405 means the button should not have been shown. The form is sent
    with its hidden fields because some permissions depend on them (a tenant in the drafting group
    may move a set to "agreed", and only there).
    """
    probe = Client(raise_request_exception=False)
    for name, morsel in client.cookies.items():  # a copy: a sign-out stays in the probe
        probe.cookies[name] = morsel.value
    with transaction.atomic():
        status = probe.post(button.action, dict(button.fields)).status_code
        transaction.set_rollback(True)
    return status


def matrix_url(name: str, world) -> str:
    """The URL the permission matrix asks about for this route, in its world."""
    fill = KWARGS.get(name)
    return reverse(name, kwargs=fill(world) if fill else None)


def start_pages(persona: str, world) -> list[str]:
    """The home page; for anonymous visitors, also every route they may GET (the public pages)."""
    if persona != ANONYMOUS:
        return ["/"]
    return [
        "/",
        *(
            matrix_url(name, world)
            for name, rule in sorted(EXPECTED.items())
            if not isinstance(rule, PostOnly) and rule[ANONYMOUS] == OK
        ),
    ]
