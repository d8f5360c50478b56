"""The board and tenants reach the pack from their home page; those refused it see no link."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("persona", ["brenda", "alice", "carol", "dora"])
def test_the_home_page_links_to_the_pack_for_those_who_may_read_it(login, persona):
    client = login(persona)
    body = client.get(reverse("home:home")).content.decode()
    main = body.split('id="main-content"', 1)[1]
    assert f'href="{reverse("tia:pack")}"' in main
    assert client.get(reverse("tia:pack")).status_code == 200


@pytest.mark.parametrize("persona", ["frank", "colin", "sam"])
def test_no_link_to_the_pack_for_those_refused_it(login, persona):
    body = login(persona).get(reverse("home:home")).content.decode()
    assert reverse("tia:pack") not in body
