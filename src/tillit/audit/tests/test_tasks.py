"""The chain check runs in the real database-backed worker."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tillit.access.policy import Basis
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.conftest import disable_append_only


def test_the_worker_runs_the_queued_chain_check(transactional_db):
    disable_append_only()  # Django empties the log after this transactional test.
    record(
        actor=None,
        action=AccessAction.VIEW,
        reads=[Read(1, Basis.ASSIGNMENT), Read(2, Basis.ASSIGNMENT)],
    )
    call_command("audit", "verify", "--in-background")
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value["ok"] is True
    assert queued.return_value["rows"] == 2
