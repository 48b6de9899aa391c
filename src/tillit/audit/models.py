"""The access log: an append-only, hash-chained record of every read of personal data."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.audit.bases import OUTSIDE_CASELOAD, Basis


class AccessAction(models.TextChoices):
    VIEW = "visning", _("Visning")
    CHANGE = "andring", _("Ändring")
    LIST = "lista", _("Träff i lista eller sökning")
    EXPORT = "export", _("Export")
    PRINT = "utskrift", _("Utskrift")
    API = "api", _("Läsning via API")
    DENIED = "nekad", _("Nekat försök")
    LOG_REVIEW = "logggranskning", _("Logggranskning")


class AppendOnlyError(RuntimeError):
    pass


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AccessLog(models.Model):
    """One read of personal data. Rows are written by tillit.audit.log and never changed.

    `seq` numbers the rows without gaps and `entry_hash` chains each row to the one before
    with HMAC-SHA256 under a key the database does not hold (`AUDIT_HMAC_KEY`), so
    `tillit audit verify` finds a changed, removed or inserted row. Rows written before the
    key existed have `key_version` NULL and a plain SHA-256 chain up to `AccessLogKeySwitch`.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(_("tidpunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_label = models.CharField(_("användare (som den hette)"), max_length=200)
    action = models.CharField(_("händelse"), max_length=20, choices=AccessAction.choices)
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("enskild"),
    )
    object_type = models.CharField(_("posttyp"), max_length=40, blank=True)
    object_id = models.CharField(_("post"), max_length=40, blank=True)
    unit_id = models.BigIntegerField(_("enhet"), null=True)
    basis = models.CharField(_("grund"), max_length=20, choices=Basis.choices)
    purpose = models.CharField(_("syfte"), max_length=500, blank=True)
    protected = models.BooleanField(_("skyddade personuppgifter"), default=False)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True)
    path = models.CharField(_("adress"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    # NULL: written before the chain was keyed (plain SHA-256); 1: HMAC with AUDIT_HMAC_KEY.
    key_version = models.PositiveSmallIntegerField(null=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtkomstlogg")
        verbose_name_plural = _("åtkomstlogg")
        indexes = [
            models.Index(fields=["actor", "at"], name="accesslog_actor_at"),
            models.Index(fields=["individual", "at"], name="accesslog_individual_at"),
            models.Index(fields=["unit_id", "at"], name="accesslog_unit_at"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    @property
    def outside_caseload(self) -> bool:
        return self.basis in OUTSIDE_CASELOAD

    def compute_hash(self, key: bytes | None = None) -> str:
        if self.key_version is None:
            return chain_hash(self.prev_hash, self.canonical())
        return keyed_chain_hash(
            key if key is not None else chain_key(),
            self.prev_hash,
            f"{self.canonical()}\x1f{self.key_version}",
        )

    def canonical(self) -> str:
        at = self.at.astimezone(dt.UTC)
        fields = [
            str(self.seq),
            at.strftime("%Y-%m-%dT%H:%M:%S.%f%z"),
            str(self.actor_id or ""),
            self.actor_label,
            self.action,
            str(self.individual_id or ""),
            self.object_type,
            self.object_id,
            str(self.unit_id or ""),
            self.basis,
            self.purpose,
            "1" if self.protected else "0",
            self.ip_address or "",
            self.path,
        ]
        return "\x1f".join(fields)


GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{prev_hash}\x1e{canonical}".encode()).hexdigest()


KEY_VERSION = 1


def chain_key() -> bytes:
    """The key of the chain: AUDIT_HMAC_KEY, or one derived from SECRET_KEY where that is
    allowed (DEBUG, demo, tests; `check --deploy` fails without AUDIT_HMAC_KEY)."""
    if settings.AUDIT_HMAC_KEY:
        return str(settings.AUDIT_HMAC_KEY).encode()
    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"tillit.audit.chain", hashlib.sha256
    ).digest()


def keyed_chain_hash(key: bytes, prev_hash: str, canonical: str) -> str:
    return hmac.new(key, f"{prev_hash}\x1e{canonical}".encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, *parts: object) -> str:
    """An HMAC over the parts, for the key switch and the published checkpoints."""
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class AccessLogKeySwitch(models.Model):
    """Where the chain became keyed: rows before `first_keyed_seq` are plain SHA-256.

    Written once, by the migration that introduced the key, only when the log already held
    rows. Signed, so moving it (to pass rewritten rows off as old unkeyed ones) is found.
    """

    first_keyed_seq = models.BigIntegerField(unique=True)
    key_version = models.PositiveSmallIntegerField(default=KEY_VERSION)
    at = models.DateTimeField()
    mac = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"keyed from #{self.first_keyed_seq}"

    def expected_mac(self, key: bytes | None = None) -> str:
        return sign(
            key if key is not None else chain_key(),
            "switch",
            self.first_keyed_seq,
            self.key_version,
        )
