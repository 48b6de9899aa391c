"""The incident pages' own links, each shown only when it opens for the reader."""

from __future__ import annotations

from typing import Any

from django import template

from tillit.access.reading import viewer_for
from tillit.incidents.links import incident_links as links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def incident_links(context: dict[str, Any]) -> list[tuple[str, str]]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return links_for(viewer_for(request))
