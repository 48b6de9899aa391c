"""The deadlines this app keeps in the generic deadline rows (tillit.deadlines.due)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.deadlines.due import DueKind, register_kind

ACKNOWLEDGE = "orgwork.assignment.acknowledge"
DELIVER = "orgwork.assignment.deliver"
ACCEPT = "orgwork.assignment.accept"
MEMO = "orgwork.board_item.memo"
CHAIR = "orgwork.board_item.chair"
FOLLOW_UP = "orgwork.follow_up"


def _assignment(item: Any) -> str:
    return reverse("orgwork:assignment", args=[item.object_id])


def _board_item(item: Any) -> str:
    return reverse("orgwork:item", args=[item.object_id])


def _follow_up(item: Any) -> str:
    return reverse("orgwork:follow_up", args=[item.object_id])


def register() -> None:
    register_kind(DueKind(code=ACKNOWLEDGE, label=_("Kvittera uppdrag"), url=_assignment))
    register_kind(DueKind(code=DELIVER, label=_("Leverera uppdrag"), url=_assignment))
    register_kind(DueKind(code=ACCEPT, label=_("Godkänn levererat uppdrag"), url=_assignment))
    register_kind(
        DueKind(code=MEMO, label=_("Tjänsteskrivelse till nämndsekreteraren"), url=_board_item)
    )
    register_kind(DueKind(code=CHAIR, label=_("Ordförandeberedning"), url=_board_item))
    register_kind(
        DueKind(code=FOLLOW_UP, label=_("Uppföljning av organisationsförändring"), url=_follow_up)
    )
