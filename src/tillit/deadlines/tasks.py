"""Background work of the deadlines, run by the worker process (`tillit db_worker`)."""

from __future__ import annotations

from django_tasks import task

from tillit.deadlines.reminders import send_reminders


@task()
def send_deadline_reminders() -> dict[str, int]:
    """Today's reminders about due dates of every kind of step; safe to run any number of times a
    day."""
    return send_reminders().as_dict()
