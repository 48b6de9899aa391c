"""An import job's life: received, checked in the background, confirmed, run."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction

from tillit.children.models import (
    ImportStatus,
    ReportImport,
)
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.importing.columns import PHASE_READ
from tillit.children.importing.rows import BadRow, Check


def bad_rows_as_dicts(bad: Iterable[BadRow]) -> list[dict[str, Any]]:
    return [row.as_dict() for row in bad]


# --- The page's two steps -------------------------------------------------------------------------


def receive(data: bytes, name: str, group: Group, *, by: User) -> ReportImport:
    """Keep an uploaded file and queue its dry run for the worker (a large file takes a while)."""
    from tillit.children.tasks import check_report_import  # the tasks module imports this one

    with transaction.atomic():
        job = ReportImport(
            group=group,
            created_by=by,
            original_name=name[:200],
            size=len(data),
            status=ImportStatus.CHECKING,
            phase=PHASE_READ,
        )
        job.file.save(f"{uuid.uuid4()}.csv", ContentFile(data), save=False)
        job.save()
        transaction.on_commit(lambda: check_report_import.enqueue(job.pk))
    return job


def record_check(job: ReportImport, result: Check) -> None:
    """Keep a dry run's outcome on the import; the file itself only when every row is good."""
    job.total_rows = result.total
    job.done_rows = 0
    job.errors = bad_rows_as_dicts(result.bad)
    job.late_without_reason = result.late_without_reason
    job.status = ImportStatus.CHECKED if result.ok else ImportStatus.REFUSED
    job.phase = ""
    if not result.ok:
        job.file.delete(save=False)
    job.save()


def confirm(job: ReportImport, *, by: User) -> bool:
    """Queue a checked import for the worker; False when it is not waiting for confirmation."""
    from tillit.children.tasks import run_report_import  # the tasks module imports this one

    with transaction.atomic():
        queued = ReportImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.QUEUED, phase="", done_rows=0
        )
        if queued:
            transaction.on_commit(lambda: run_report_import.enqueue(job.pk))
    return bool(queued)
