"""Background work on the access log, run by the worker process (`tillit db_worker`)."""

import logging

from django_tasks import task

from tillit.audit import checkpoints
from tillit.audit.chain import verify_chain

logger = logging.getLogger(__name__)


@task()
def verify_access_log() -> dict[str, object]:
    """Walk the whole hash chain; a break is logged as an error for the operators' alerting."""
    report = verify_chain()
    if report.first_break is not None:
        logger.error("Access log chain broken: %s", report.first_break)
    return {
        "ok": report.ok,
        "rows": report.rows,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
        "first_break": str(report.first_break) if report.first_break else "",
    }


@task()
def publish_access_log_checkpoint() -> dict[str, object]:
    """Check the log since the last checkpoint and publish a new signed one."""
    try:
        checkpoint = checkpoints.publish()
    except checkpoints.ChainBrokenError as exc:
        return {"ok": False, "first_break": str(exc)}
    return {"ok": True, "seq": checkpoint.seq, "hash": checkpoint.entry_hash, "at": checkpoint.at}
