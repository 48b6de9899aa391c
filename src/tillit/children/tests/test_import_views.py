"""The import page: upload, dry-run report, confirm, background job with progress."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tillit.children.models import ImportStatus, Report, ReportImport
from tillit.children.tasks import ProgressRecorder, check_report_import, run_report_import
from tillit.children.tests.conftest import NOW
from tillit.children.tests.test_importing import DECIDED, INVESTIGATED, OPEN, counts, csv_bytes
from tillit.conftest import World, build_world, disable_append_only

URL = reverse("children:import")


def upload(world: World, data: bytes, persona: str = "reception_head", name: str = "historik.csv"):
    """Upload, then run the queued dry run as the worker would."""
    response = world.client(persona).post(
        URL, {"group": world.reception.pk, "file": SimpleUploadedFile(name, data, "text/csv")}
    )
    if response.status_code == 302:
        job = ReportImport.objects.order_by("-pk").first()
        assert job is not None
        check_report_import.call(job.pk)
    return response


def test_an_upload_is_checked_in_the_background_and_the_page_polls_meanwhile(
    reception, django_capture_on_commit_callbacks
):
    client = reception.client("reception_head")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "group": reception.reception.pk,
                "file": SimpleUploadedFile("h.csv", csv_bytes([DECIDED]), "text/csv"),
            },
        )

    job = ReportImport.objects.get()
    assert job.status == ImportStatus.CHECKING
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs["args"]) == (
        "tillit.children.tasks.check_report_import",
        [job.pk],
    )
    page = client.get(response["Location"]).content.decode()
    assert "Filen kontrolleras" in page
    assert 'hx-trigger="every 2s"' in page


def test_a_good_file_is_checked_and_waits_for_confirmation_with_nothing_saved(reception):
    before = counts()

    response = upload(reception, csv_bytes([DECIDED, INVESTIGATED, OPEN]))

    job = ReportImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("children:import_detail", kwargs={"import_id": job.pk})
    assert (job.status, job.total_rows, job.late_without_reason) == (ImportStatus.CHECKED, 3, 1)
    assert job.file
    assert counts() == before
    page = reception.client("reception_head").get(response["Location"]).content.decode()
    assert "Alla 3 rader är korrekta" in page
    assert "1 försenat moment saknar skäl" in page
    assert "Bekräfta och importera" in page


def test_a_bad_file_shows_every_bad_row_and_keeps_no_file(reception):
    rows = [DECIDED, {**OPEN, "kanal": "fax"}, INVESTIGATED, {**OPEN, "beskrivning": ""}]

    response = upload(reception, csv_bytes(rows))

    job = ReportImport.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert not job.file
    assert [e["line"] for e in job.errors] == [3, 5]
    page = reception.client("reception_head").get(response["Location"]).content.decode()
    assert "2 rader har fel" in page
    assert "beskrivning: Beskriv vad anmälan gäller." in page
    assert "Bekräfta och importera" not in page
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("historik.xlsx", b"PK\x03\x04", "Välj en CSV-fil (filnamnet slutar på .csv)."),
        ("historik.csv", b"", "Filen är tom."),
        ("historik.csv", b"x" * (1024 * 1024 + 1), "Filen är större än 1 MB. Dela upp den i flera"),
    ],
)
def test_an_unacceptable_upload_is_refused_with_a_swedish_message(
    reception, settings, name, data, message
):
    settings.TILLIT_IMPORT_MAX_MB = 1

    response = upload(reception, data, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportImport.objects.exists()


def test_a_group_outside_the_viewers_units_cannot_be_chosen(reception):
    response = reception.client("other_unit_head").post(
        URL,
        {
            "group": reception.reception.pk,
            "file": SimpleUploadedFile("h.csv", csv_bytes([OPEN]), "text/csv"),
        },
    )

    assert response.status_code == 400
    assert not ReportImport.objects.exists()


def test_confirming_queues_the_job_once_and_the_job_imports_everything(
    reception, django_capture_on_commit_callbacks
):
    upload(reception, csv_bytes([DECIDED, INVESTIGATED, OPEN]))
    job = ReportImport.objects.get()
    start = reverse("children:import_start", kwargs={"import_id": job.pk})
    client = reception.client("reception_head")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(start)
        client.post(start)

    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs["args"]) == (
        "tillit.children.tasks.run_report_import",
        [job.pk],
    )
    polled = client.get(
        reverse("children:import_detail", kwargs={"import_id": job.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 2s"' in polled
    assert "<html" not in polled

    run_report_import.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done_rows, job.reports_created, job.deadlines_created) == (
        ImportStatus.DONE,
        3,
        3,
        7,
    )
    assert job.rows_per_second is not None
    assert not job.file
    assert Report.objects.count() == 3
    page = client.get(reverse("children:import_detail", kwargs={"import_id": job.pk}))
    assert "Importen är klar" in page.content.decode()
    assert "every 2s" not in page.content.decode()


def test_a_row_imported_between_check_and_confirmation_fails_the_job_and_saves_nothing(
    reception, django_capture_on_commit_callbacks
):
    upload(reception, csv_bytes([DECIDED, OPEN]))
    job = ReportImport.objects.get()
    upload(reception, csv_bytes([OPEN]))
    other = ReportImport.objects.exclude(pk=job.pk).get()
    for queued in (other, job):
        with django_capture_on_commit_callbacks(execute=True):
            reception.client("unit_head").post(
                reverse("children:import_start", kwargs={"import_id": queued.pk})
            )
    run_report_import.call(other.pk)

    run_report_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"line": 3, "reasons": ["raden: Raden är redan importerad."]}]
    assert Report.objects.count() == 1


def test_the_worker_runs_the_confirmed_import(transactional_db):
    disable_append_only()  # Django empties every table after a transactional test.
    with time_machine.travel(NOW, tick=False):
        world = build_world(NOW.date())
        world.client("unit_head").post(
            URL,
            {
                "group": world.reception.pk,
                "file": SimpleUploadedFile(
                    "h.csv", csv_bytes([DECIDED, INVESTIGATED, OPEN]), "text/csv"
                ),
            },
        )
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        job = ReportImport.objects.get()
        assert job.status == ImportStatus.CHECKED
        world.client("unit_head").post(
            reverse("children:import_start", kwargs={"import_id": job.pk})
        )
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Report.objects.count() == 3


def test_progress_written_inside_the_import_transaction_is_seen_outside_it(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: progress is only written outside the transaction")
    with time_machine.travel(NOW, tick=False):
        world = build_world(NOW.date())
    job = ReportImport.objects.create(
        group=world.reception,
        created_by=world.people["unit_head"],
        original_name="h.csv",
        status=ImportStatus.RUNNING,
    )
    recorder = ProgressRecorder(job.pk)
    reader = connections.create_connection("default")
    try:
        with transaction.atomic():
            recorder.write("Sparar", 500, 2000)
            with reader.cursor() as cursor:
                cursor.execute(
                    "SELECT phase, done_rows, total_rows FROM children_reportimport WHERE id = %s",
                    [job.pk],
                )
                seen = cursor.fetchone()
    finally:
        recorder.close()
        reader.close()
    assert seen == ("Sparar", 500, 2000)


# --- The command ----------------------------------------------------------------------------------


def command(world: World, tmp_path, rows, *extra: str, user: str = "unit_head") -> str:
    path = tmp_path / "historik.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command(
        "import_reports",
        str(path),
        "--group",
        str(world.reception.pk),
        "--user",
        user,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_the_command_dry_run_reports_a_good_file_and_saves_nothing(reception, tmp_path):
    before = counts()

    out = command(reception, tmp_path, [DECIDED, INVESTIGATED, OPEN], "--dry-run")

    assert "Kontrollerar rader: 3/3 rader (100 %)" in out
    assert "1 försenade moment saknar skäl" in out
    assert "Alla 3 rader är korrekta. Provkörning: ingenting har sparats." in out
    assert counts() == before


def test_the_command_lists_every_bad_row_and_saves_nothing(reception, tmp_path):
    before = counts()
    rows = [DECIDED, {**OPEN, "kanal": "fax", "oro": ""}, {**INVESTIGATED, "grupp": "Ekonomi"}]
    path = tmp_path / "historik.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"2 av 3 rader har fel\. Ingenting har sparats\."):
        call_command(
            "import_reports",
            str(path),
            "--group",
            str(reception.reception.pk),
            "--user",
            "unit_head",
            stdout=out,
        )

    lines = [line for line in out.getvalue().splitlines() if line.startswith("Rad ")]
    assert [line.split(":")[0:2] for line in lines] == [
        ["Rad 3", " kanal"],
        ["Rad 3", " oro"],
        ["Rad 4", " grupp"],
    ]
    assert counts() == before


def test_the_command_imports_and_prints_progress_and_rate(reception, tmp_path):
    out = command(reception, tmp_path, [DECIDED, INVESTIGATED, OPEN])

    assert "Sparar: 3/3 rader (100 %)" in out
    assert "Klart: 3 anmälningar, 3 barn, 1 utredningar och 7 tidsgränser sparade" in out
    assert "rader/s" in out
    assert Report.objects.count() == 3


@pytest.mark.parametrize("user", ["reception_worker", "quality_developer", "other_unit_head"])
def test_the_command_refuses_someone_who_may_not_import_into_the_unit(reception, tmp_path, user):
    with pytest.raises(CommandError, match="är inte enhetschef eller gruppchef"):
        command(reception, tmp_path, [OPEN], user=user)

    assert Report.objects.count() == 0
