"""The pages each role opens, taken from the access matrix (itself checked against the
URLconfs), with records behind them so lists and detail pages are not empty."""

from __future__ import annotations

from typing import Any

from agreements.sharing import interaction_share, protocol_link_create
from tests.conftest import World
from tests.factories import ClauseFactory, InteractionFactory, SignedProtocolFactory
from tests.test_access_matrix import MATRIX, site_records

# Pages that render the same template as one already visited, with nothing new for axe
# or the layout: every record kind's edit form is its add form filled in, and every
# delete confirmation is one template.
SAME_TEMPLATE = ("_edit", "_delete")
KEEP = {"agreements:interactions_edit", "agreements:protocols_delete"}


def world_records(world: World) -> dict[str, Any]:
    objects = site_records(world)
    site, manager = world.site, world.users["manager"]
    ClauseFactory(protocol=objects["signed"], topic="proximity_buffer")
    objects["signed"].effective_from = site.today().replace(day=1)
    objects["signed"].save()
    shared = InteractionFactory(site=site, narrative="Cruiser idled by the door.")
    interaction_share(interaction=shared, summary="A cruiser idled by the door.", actor=manager)
    # A secret link needs a site that refuses police accounts: the other site.
    other = world.other_site
    other.police_accounts = False
    other.save()
    ClauseFactory(protocol=SignedProtocolFactory(site=other, version=1), topic="notification")
    _, objects["link_token"] = protocol_link_create(site=other, label="Front desk", actor=None)
    return objects


def pages_for(role: str, objects: dict[str, Any]) -> list[tuple[str, str]]:
    """(URL name, path) of every page `role` may open, as the matrix says."""
    pages = []
    for name, (make_url, expected) in sorted(MATRIX.items()):
        if expected[role] != 200:
            continue
        if name.endswith(SAME_TEMPLATE) and name not in KEEP:
            continue
        # The admin sees a manager's site pages; only the admin's own pages are new.
        if (
            role == "admin"
            and expected["manager"] == 200
            and name.startswith("agreements:")
            and name not in {"agreements:home", "agreements:dashboard"}
        ):
            continue
        pages.append((name, make_url(objects)))
    return pages
