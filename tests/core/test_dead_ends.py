"""Dead ends (issue 18, item 4): every link the product shows leads somewhere its reader may go.

Each demo role walks its pages (tests/crawl.py): every same-site link shown on a page it
reads must end, after redirects, on a page that answers 200 for that role — never a 403,
404, 405, 500 or the sign-in page. A link to a page the role may not open is not shown.
"""

from __future__ import annotations

from typing import Any

import pytest

from ..crawl import DEMO_ROLES, walk

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_link_shown_leads_somewhere_the_role_may_go(role: str, db: Any) -> None:
    result = walk(role)
    assert len(result.pages) > 10  # the walk got past the home page
    assert result.dead_ends() == [], "\n".join(result.dead_ends())
