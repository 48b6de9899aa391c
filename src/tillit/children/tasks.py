"""Background work of the child-and-family app, run by the worker process (`tillit db_worker`)."""

from __future__ import annotations

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tillit.children import importing
from tillit.children.models import ImportStatus, ReportImport

logger = logging.getLogger(__name__)
# Progress is written at most this often, so a fast import is not slowed by its own bookkeeping.
PROGRESS_INTERVAL_SECONDS = 1.0


class ProgressRecorder:
    """Keeps an import's progress on its row while the import's own transaction is still open.

    The import writes everything in one transaction, which nobody else sees until it commits.
    On PostgreSQL the progress therefore goes through a second connection that commits at once,
    so the page can show it. SQLite allows one writer at a time: there the progress is written
    only outside the transaction (before and after), and the page shows the phase.
    """

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.last = 0.0
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL_SECONDS and done < total:
            return
        self.last = now
        self.write(phase, done, total)

    def write(self, phase: str, done: int, total: int) -> None:
        table = ReportImport._meta.db_table
        sql = f"UPDATE {table} SET phase = %s, done_rows = %s, total_rows = %s WHERE id = %s"  # noqa: S608 - our own table name
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(sql, [phase, done, total, self.import_id])
        elif not connection.in_atomic_block:
            ReportImport.objects.filter(pk=self.import_id).update(
                phase=phase, done_rows=done, total_rows=total
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


@task()
def check_report_import(import_id: int) -> dict[str, object]:
    """The dry run of an uploaded file: every row checked, every bad row kept, nothing written."""
    job = ReportImport.objects.select_related("group__unit").get(pk=import_id)
    if job.status != ImportStatus.CHECKING:
        return {"status": job.status}
    recorder = ProgressRecorder(job.pk)
    try:
        with job.file.open("rb") as stream:
            data = stream.read()
        result = importing.check_file(data, job.group, progress=recorder)
    except Exception:
        logger.exception("Dry run of report import %s failed", job.pk)
        job.status, job.phase = ImportStatus.FAILED, ""
        job.message = _("Kontrollen avbröts av ett tekniskt fel. Inget har sparats.")
        job.file.delete(save=False)
        job.save()
    else:
        importing.record_check(job, result)
    finally:
        recorder.close()
    return {"status": job.status, "bad_rows": len(job.errors)}


@task()
def run_report_import(import_id: int) -> dict[str, object]:
    """The confirmed import: all rows in one transaction, or nothing, with progress on the row."""
    job = ReportImport.objects.select_related("group__unit", "created_by").get(pk=import_id)
    if job.status != ImportStatus.QUEUED:
        return {"status": job.status}
    job.status, job.started_at, job.done_rows = ImportStatus.RUNNING, timezone.now(), 0
    job.phase = importing.PHASE_READ
    job.save(update_fields=["status", "started_at", "done_rows", "phase"])
    recorder = ProgressRecorder(job.pk)
    try:
        with job.file.open("rb") as stream:
            data = stream.read()
        summary = importing.import_file(data, job.group, by=job.created_by, progress=recorder)
    except importing.ImportRefusedError as refused:
        job.status = ImportStatus.FAILED
        job.errors = importing.bad_rows_as_dicts(refused.check.bad)
        job.message = _(
            "Uppgifterna i systemet har ändrats sedan kontrollen: se raderna nedan. "
            "Inget har sparats."
        )
    except Exception:
        logger.exception("Report import %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.message = _("Importen avbröts av ett tekniskt fel. Inget har sparats.")
    else:
        job.status = ImportStatus.DONE
        job.done_rows = job.total_rows = summary.rows
        job.reports_created = summary.reports
        job.deadlines_created = summary.deadlines
        job.late_without_reason = summary.late_without_reason
        job.rows_per_second = round(summary.rows_per_second, 1)
    finally:
        recorder.close()
    job.phase = ""
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.file.delete(save=False)
        job.save()
    return {"status": job.status, "rows": job.done_rows}
