"""Background work for child and family, run by the worker process (`tillit db_worker`)."""

from django_tasks import task

from tillit.children.reminders import send_reminders


@task()
def send_deadline_reminders() -> dict[str, int]:
    """Today's reminders about due dates; safe to run any number of times a day."""
    return send_reminders().as_dict()
