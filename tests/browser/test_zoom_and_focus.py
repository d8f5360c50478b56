"""Two WCAG 2.2 AA points axe-core cannot see, checked in real headless Chromium on the demo:

- 1.4.4 Resize text: with the text at 200 % (the root font size doubled, which every size in our
  styles follows, as they are in rem) at 1280 px, no page scrolls sideways and no text is cut off.
- 2.4.7 Focus visible: pressing Tab through a page, every control that takes focus shows it (an
  outline, a focus ring or a change of background), for a tenant and for the coordinator.
"""

from __future__ import annotations

import io
import re

import pytest

from coproduce.demo.build import demo_build

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "coproduce-demo"
WIDE = 1280
MOST_TABS = 250  # a page with more stops than this is itself a problem to look at

# Elements whose text is cut off: clipped (overflow not visible) and narrower than their content.
CLIPPED = """
() => [...document.querySelectorAll('body *')].filter(el => {
  const s = getComputedStyle(el);
  if (s.display === 'none' || s.visibility === 'hidden') return false;
  // Hidden on purpose: visually hidden text, and the skip link until it has focus.
  if (el.closest('.govuk-visually-hidden') || el.clientWidth <= 1) return false;
  const clips = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
  return clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim() !== '';
}).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
  + ' "' + el.textContent.trim().slice(0, 40) + '"')
"""

# The outermost elements reaching past the right edge of the window: what makes a page too wide.
TOO_WIDE = """
() => [...document.querySelectorAll('body *')].filter(el => {
  if (el.parentElement.closest('.app-table-scroll')) return false;  // scrolls in its own box
  const right = el.getBoundingClientRect().right;
  const parent = el.parentElement.getBoundingClientRect().right;
  return right > window.innerWidth + 1 && parent <= window.innerWidth + 1;
}).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
  + ' "' + el.textContent.trim().slice(0, 40) + '"')
"""

# How the focused control looks: its own style, or (a GOV.UK checkbox or radio, whose input is
# invisible) its label's ::before box. Then the same with focus moved away, to compare.
FOCUS_LOOK = """
(el) => {
  const look = () => {
    const box = (el.matches('input[type=checkbox], input[type=radio]') && el.nextElementSibling)
      ? getComputedStyle(el.nextElementSibling, '::before') : getComputedStyle(el);
    return {outline: box.outlineStyle !== 'none' && parseFloat(box.outlineWidth) >= 2
                      && !box.outlineColor.endsWith(', 0)') ? box.outlineColor : '',
            shadow: box.boxShadow === 'none' ? '' : box.boxShadow,
            background: box.backgroundColor, border: box.borderWidth + ' ' + box.borderColor};
  };
  const focused = look();
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40)
    + '"';
  el.blur();
  const away = look();
  el.focus();
  const shows = focused.outline !== '' || focused.shadow !== away.shadow
    || focused.background !== away.background || focused.border !== away.border;
  return {name, shows, focused, away};
}
"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(homes=300, seed=2026, stdout=io.StringIO())


def signed_in(browser, live_server, email: str | None):
    # The test adds its own style (the 200 % text), which the pages' Content Security Policy
    # would rightly refuse from anyone else.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDE, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
    return page


def first_link(page, path: str, pattern: str) -> str:
    page.goto(path)
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = [h for h in hrefs if re.fullmatch(pattern, h)]
    assert found, f"no link like {pattern} on {path}"
    return found[0]


def tenant_pages(page) -> list[str]:
    session = first_link(page, "/sessions/", r"/sessions/\d+/")
    check = first_link(page, "/health-checks/", r"/health-checks/\d+/")
    return [
        "/",
        "/rewards/mine/",
        first_link(page, "/promises/", r"/promises/\d+/"),
        session,
        f"{check}report/",
        "/people/me/edit/",
    ]


def coordinator_pages(page) -> list[str]:
    return [
        "/",
        "/people/",
        first_link(page, "/people/", r"/people/\d+/"),
        first_link(page, "/sessions/", r"/sessions/\d+/"),
        "/sessions/new/",
        "/rewards/",
    ]


def open_page(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def text_at_200_percent(page, path: str, planted: str = "") -> list[str]:
    open_page(page, path)
    page.add_style_tag(content="html { font-size: 200% !important; }" + planted)
    problems = []
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > WIDE:
        problems.append(f"{path}: {wide} px wide with the text at 200 %: {page.evaluate(TOO_WIDE)}")
    problems += [f"{path}: text cut off at 200 %: {what}" for what in page.evaluate(CLIPPED)]
    return problems


def focus_not_shown(page, path: str) -> list[str]:
    open_page(page, path)
    problems, seen = [], set()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        if page.evaluate("el => el === document.body", handle):
            break
        key = page.evaluate(
            "el => { if (!el.dataset.tabbed) el.dataset.tabbed = String(Math.random());"
            " return el.dataset.tabbed; }",
            handle,
        )
        if key in seen:
            break  # back at the start: focus has been round the page
        seen.add(key)
        look = page.evaluate(FOCUS_LOOK, handle)
        if not look["shows"]:
            problems.append(f"{path}: no visible focus on {look['name']}: {look['focused']}")
    else:
        problems.append(f"{path}: more than {MOST_TABS} Tab stops")
    assert len(seen) >= 5, (path, len(seen))  # the walk reached the page's controls
    return problems


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        ("tenant@demo.coproduce.test", tenant_pages),
        ("coordinator@demo.coproduce.test", coordinator_pages),
    ],
    ids=["tenant", "coordinator"],
)
def test_text_at_200_percent_and_focus_on_every_control(browser, live_server, demo, who, pages):
    page = signed_in(browser, live_server, who)
    paths = pages(page)
    problems = []
    for path in paths:
        problems += text_at_200_percent(page, path)
        problems += focus_not_shown(page, path)
    assert not problems, "\n".join(problems)
    page.context.close()


def test_the_focus_check_sees_a_control_without_focus_style(browser, live_server, demo):
    """The check itself can fail: take the focus style off links and it names them."""
    page = signed_in(browser, live_server, None)
    open_page(page, "/accounts/login/")
    page.add_style_tag(
        content="a:focus, a:focus-visible { outline: none !important; box-shadow: none !important;"
        " background: none !important; }"
    )
    page.keyboard.press("Tab")
    look = page.evaluate(FOCUS_LOOK, page.evaluate_handle("document.activeElement"))
    assert look["name"].startswith("a"), look
    assert not look["shows"], look
    page.context.close()


def test_the_zoom_check_sees_text_cut_off(browser, live_server, demo):
    page = signed_in(browser, live_server, None)
    planted = "h1 { width: 3rem; overflow: hidden; white-space: nowrap; }"
    problems = text_at_200_percent(page, "/accounts/login/", planted)
    assert any("cut off" in p and "h1" in p for p in problems), problems
    page.context.close()
