"""Writing the access log. Every read of personal data passes through `record`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from ipware import get_client_ip

from tillit.audit.bases import Basis
from tillit.audit.models import GENESIS_HASH, KEY_VERSION, AccessAction, AccessLog, chain_key

if TYPE_CHECKING:
    from tillit.accounts.models import User

# Any fixed number: the key of the PostgreSQL advisory lock that serialises the chain.
_CHAIN_LOCK_KEY = 7_311_2026


@dataclass(frozen=True)
class Read:
    """One individual (or other record) read in one request."""

    individual_id: int | None
    basis: Basis
    unit_id: int | None = None
    purpose: str = ""
    protected: bool = False
    object_type: str = "individual"
    object_id: str = ""


def record(
    *,
    actor: User | None,
    action: AccessAction,
    reads: Sequence[Read],
    request: HttpRequest | None = None,
) -> list[AccessLog]:
    """Append one row per read, chained to the log's last row, in one transaction."""
    if not reads or not settings.TILLIT_ACCESS_LOG_ENABLED:
        return []
    now = timezone.now()
    ip = client_ip(request) if request is not None else None
    path = request.get_full_path()[:300] if request is not None else ""
    label = _label(actor)
    key = chain_key()
    with transaction.atomic():
        prev_seq, prev_hash = _lock_chain_head()
        rows = []
        for offset, read in enumerate(reads, start=1):
            row = AccessLog(
                seq=prev_seq + offset,
                at=now,
                actor=actor,
                actor_label=label,
                action=action,
                individual_id=read.individual_id,
                object_type=read.object_type,
                object_id=read.object_id or (str(read.individual_id) if read.individual_id else ""),
                unit_id=read.unit_id,
                basis=read.basis,
                purpose=read.purpose[:500],
                protected=read.protected,
                ip_address=ip,
                path=path,
                prev_hash=prev_hash,
                key_version=KEY_VERSION,
            )
            row.entry_hash = row.compute_hash(key)
            prev_hash = row.entry_hash
            rows.append(row)
        AccessLog.objects.bulk_create(rows)
    return rows


def _lock_chain_head() -> tuple[int, str]:
    """Serialise writers and return the chain's last (seq, hash).

    On PostgreSQL an advisory lock held to the end of the transaction; on SQLite the
    IMMEDIATE transaction mode already holds the database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AccessLog.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def _label(actor: User | None) -> str:
    if actor is None:
        return ""
    full_name = actor.get_full_name()
    return f"{full_name} ({actor.username})" if full_name else actor.username


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, by django-ipware: REMOTE_ADDR, or behind TILLIT_PROXY_COUNT
    proxies the address the outermost one saw (X-Forwarded-For, counted from the right; the
    nearest proxy is REMOTE_ADDR, so ipware's count of proxies in the header is one less). One
    answer for the access log, the lockout (AXES_CLIENT_IP_CALLABLE) and the rate limits.

    Only X-Forwarded-For is read, never the other headers ipware knows (True-Client-IP,
    CF-Connecting-IP, …): a client could set those itself. An address ipware cannot parse, or a
    header shorter than the proxies put there, leaves REMOTE_ADDR."""
    hops = settings.TILLIT_PROXY_COUNT
    if hops:
        forwarded, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=hops - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,  # extra addresses a client put in front are ignored, not refused
            algorithm="modern",
        )
        if forwarded:
            return str(forwarded)
    remote, _routable = get_client_ip(
        request, request_header_order=["REMOTE_ADDR"], algorithm="modern"
    )
    return str(remote) if remote else None
