"""Every URL, requested as every persona, gives the expected answer.

A new URL fails `test_every_url_is_in_the_matrix` until it is given a row here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tillit.api.models import ApiToken
from tillit.conftest import PERSONAS, TEST_ACTOR

ANON = None
ALL = [*PERSONAS, ANON]
WORKERS = {"reception_worker", "reception_colleague", "investigation_worker"}
CASE_STAFF = WORKERS | {"reception_head", "unit_head", "other_unit_head"}
REGISTRARS = WORKERS | {"reception_head"}
MUNICIPAL = set(PERSONAS) - {"provider_staff", "outsider", "former_worker"}
REVIEWERS = {"unit_head", "other_unit_head", "quality_developer"}
READS_QUEUE_CHILD = {"reception_worker", "reception_colleague", "reception_head", "unit_head"}
READS_INVESTIGATED_CHILD = {"investigation_worker", "unit_head"}
# Compliance figures: heads of groups and units, quality developers, director, board secretary.
FIGURE_READERS = {
    "reception_head",
    "unit_head",
    "other_unit_head",
    "quality_developer",
    "director",
    "board_secretary",
}
# Unit heads, and group heads of a group in the unit, import history into the unit's groups.
IMPORTERS = {"reception_head", "unit_head", "other_unit_head"}
IMPORTERS_OF_UNIT = {"reception_head", "unit_head"}
HEADS = {"reception_head", "unit_head", "other_unit_head"}
REASSIGNS_QUEUE_ITEM = {"reception_head", "unit_head"}
OFFICER = {"kundval_officer"}
# Quality management (issue 13): unit heads and quality developers work in it; the leadership
# reads the reports. Records of the world's unit: its head and the quality developer.
QUALITY = {"unit_head", "other_unit_head", "quality_developer", "director", "board_secretary"}
QUALITY_WORKERS = {"unit_head", "other_unit_head", "quality_developer"}
QUALITY_OF_UNIT = {"unit_head", "quality_developer"}


def quality_record(ok: int = 200) -> dict[str | None, int]:
    return {**expect(QUALITY_OF_UNIT, ok, 403), "other_unit_head": 404}


# Goals and national comparison (issue 15): those who follow the whole municipality's figures.
LEADERS = {"director", "board_secretary"}
PROVIDER = {"provider_staff"}
# Organising the quality work (issue 16).
OW_REQUESTERS = {"reception_head", "unit_head", "other_unit_head", "director", "board_secretary"}
OW_QUALITY = {"quality_developer"}
OW_ASSIGNMENTS = OW_REQUESTERS | OW_QUALITY
OW_REACHES = {"unit_head", "quality_developer", "director"}  # the matrix's assignment
OW_ORGANISING = {"director", "quality_developer", "unit_head", "other_unit_head"}
OW_EDITORS = {"director", "quality_developer"}
OW_BOARDS = {"board_secretary", "director", "quality_developer"}
OW_SECRETARY = {"board_secretary"}
# Incidents (issue 13): everyone with a role today reports deviations; the matrix deviation and
# Lex Sarah report are in the world's unit, reported by the reception worker.
ANY_ROLE = set(PERSONAS) - {"outsider", "former_worker"}
INCIDENT_READERS = {"reception_worker", "unit_head", "quality_developer"}
ANALYSTS = {"unit_head", "other_unit_head", "quality_developer", "director", "board_secretary"}
COMPLAINT_HANDLERS = {"unit_head", "other_unit_head", "quality_developer", "kundval_officer"}
FOLLOW_UP_STAFF = {"kundval_officer", "quality_developer"}


def expect(ok_for: set[str], ok: int, other: int, anonymous: int = 302) -> dict[str | None, int]:
    table: dict[str | None, int] = {p: (ok if p in ok_for else other) for p in PERSONAS}
    table[ANON] = anonymous
    return table


def reached(ok_for: set[str], ok: int, entering: set[str]) -> dict[str | None, int]:
    """OK for OK_FOR; 404 for the others who may use the pages; 403 for everyone else."""
    return {**expect(entering, 404, 403), **dict.fromkeys(ok_for, ok)}


# name -> (method, kwargs builder, expected status per persona)
MATRIX = {
    "front:start": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "accounts:login": ("get", {}, expect(set(), 200, 302, anonymous=200)),
    "accounts:logout": ("post", {}, expect(set(PERSONAS), 302, 302, anonymous=302)),
    "accounts:second_factor": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "organisation:overview": ("get", {}, expect(MUNICIPAL, 200, 403)),
    "organisation:unit": ("get", {"unit_id": "unit"}, expect(MUNICIPAL, 200, 403)),
    "organisation:staff": ("get", {"user_id": "reception_worker"}, expect(MUNICIPAL, 200, 403)),
    "individuals:search": ("get", {}, expect(CASE_STAFF, 200, 403)),
    "individuals:register": ("get", {}, expect(REGISTRARS, 200, 403)),
    "individuals:detail": ("get", {"individual_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404)),
    "individuals:history": (
        "get",
        {"individual_id": "queue"},
        {
            **expect({"unit_head"}, 200, 404),
            **dict.fromkeys(READS_QUEUE_CHILD - {"unit_head"}, 403),
        },
    ),
    "individuals:case_history": (
        "get",
        {"individual_id": "queue", "case_id": "queue"},
        {
            **expect({"unit_head"}, 200, 404),
            **dict.fromkeys(READS_QUEUE_CHILD - {"unit_head"}, 403),
        },
    ),
    "access:audit_purpose": ("get", {}, expect({"quality_developer"}, 200, 403)),
    "access:grant": (
        "post",
        {"individual_id": "protected"},
        {
            **expect({"unit_head"}, 400, 404),
            **dict.fromkeys(READS_QUEUE_CHILD - {"unit_head"}, 403),
        },
    ),
    "audit:review": ("get", {}, expect(REVIEWERS, 200, 403)),
    "audit:review_csv": ("get", {}, expect(REVIEWERS, 200, 403)),
    "audit:review_xlsx": ("get", {}, expect(REVIEWERS, 200, 403)),
    "children:register": ("get", {}, expect(REGISTRARS, 200, 403)),
    "children:report": ("get", {"report_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404)),
    "children:attachment": ("get", {"attachment_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404)),
    "children:track": ("get", {"track_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404)),
    "children:protective": ("post", {"track_id": "queue"}, expect(READS_QUEUE_CHILD, 400, 404)),
    "children:risk": ("post", {"track_id": "queue"}, expect(READS_QUEUE_CHILD, 400, 404)),
    "children:initial": ("post", {"track_id": "queue"}, expect(READS_QUEUE_CHILD, 400, 404)),
    "children:extend_initial": (
        "post",
        {"track_id": "queue"},
        expect(READS_QUEUE_CHILD, 400, 404),
    ),
    "children:investigation": (
        "get",
        {"investigation_id": "investigated"},
        expect(READS_INVESTIGATED_CHILD, 200, 404),
    ),
    "children:extend_investigation": (
        "post",
        {"investigation_id": "investigated"},
        expect(READS_INVESTIGATED_CHILD, 400, 404),
    ),
    "children:close_investigation": (
        "post",
        {"investigation_id": "investigated"},
        expect(READS_INVESTIGATED_CHILD, 400, 404),
    ),
    "children:intervention": (
        "post",
        {"investigation_id": "investigated"},
        expect(READS_INVESTIGATED_CHILD, 400, 404),
    ),
    "children:follow_up": (
        "post",
        {"follow_up_id": "investigated"},
        expect(READS_INVESTIGATED_CHILD, 302, 404),
    ),
    "deadlines:reminders": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "deadlines:due_items": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "children:figures": ("get", {}, expect(FIGURE_READERS, 200, 403)),
    "children:figures_csv": ("get", {}, expect(FIGURE_READERS, 200, 403)),
    "children:figures_xlsx": ("get", {}, expect(FIGURE_READERS, 200, 403)),
    "children:import": ("get", {}, expect(IMPORTERS, 200, 403)),
    "children:import_detail": (
        "get",
        {"import_id": "queue"},
        {**expect(IMPORTERS_OF_UNIT, 200, 403), "other_unit_head": 404},
    ),
    "children:import_start": (
        "post",
        {"import_id": "queue"},
        {**expect(IMPORTERS_OF_UNIT, 302, 403), "other_unit_head": 404},
    ),
    "children:workbench": ("get", {}, expect(CASE_STAFF, 200, 403)),
    "children:workbench_group": ("get", {}, expect(HEADS, 200, 403)),
    "children:workbench_breaches": ("get", {}, expect(CASE_STAFF, 200, 403)),
    "children:workbench_reassign": (
        "post",
        {"deadline_id": "queue"},
        {**expect(REASSIGNS_QUEUE_ITEM, 400, 403), "other_unit_head": 404},
    ),
    "admin:index": ("get", {}, expect({"system_admin"}, 200, 302)),
    "set_language": ("post", {}, expect(set(PERSONAS), 302, 302, anonymous=302)),
    # Kundval (issue 4)
    # Quality management (issue 13)
    "quality:home": ("get", {}, expect(QUALITY, 200, 403)),
    "quality:plans": ("get", {}, expect(QUALITY_WORKERS, 200, 403)),
    "quality:plan_new": ("get", {}, expect(QUALITY_WORKERS, 200, 403)),
    "quality:plan": ("get", {"plan_id": "q"}, quality_record()),
    "quality:run": ("get", {"run_id": "q"}, quality_record()),
    "quality:run_record": ("get", {"run_id": "q", "record_id": "q"}, quality_record()),
    "quality:deficiencies": ("get", {}, expect(QUALITY_WORKERS, 200, 403)),
    "quality:deficiency_new": ("get", {}, expect(QUALITY_WORKERS, 200, 403)),
    "quality:deficiency": ("get", {"deficiency_id": "q"}, quality_record()),
    "quality:measure_new": ("get", {"deficiency_id": "q"}, quality_record()),
    "quality:measure": ("get", {"measure_id": "q"}, quality_record()),
    "quality:board_reports": ("get", {}, expect(QUALITY, 200, 403)),
    "quality:board_report": ("get", {"report_id": "q"}, expect(QUALITY, 200, 403)),
    "quality:board_report_pdf": ("get", {"report_id": "q"}, expect(QUALITY, 200, 403)),
    "quality:board_report_xlsx": ("get", {"report_id": "q"}, expect(QUALITY, 200, 403)),
    "quality:quality_reports": ("get", {}, expect(QUALITY, 200, 403)),
    "quality:quality_report": (
        "get",
        {"quality_report_id": "q"},
        {**expect(QUALITY, 200, 403), "other_unit_head": 404},
    ),
    "quality:quality_report_pdf": (
        "get",
        {"quality_report_id": "q"},
        {**expect(QUALITY, 200, 403), "other_unit_head": 404},
    ),
    "quality:quality_report_xlsx": (
        "get",
        {"quality_report_id": "q"},
        {**expect(QUALITY, 200, 403), "other_unit_head": 404},
    ),
    "quality:processes": ("get", {}, expect(QUALITY, 200, 403)),
    "quality:handbook_pdf": ("get", {"process_id": "q"}, expect(QUALITY, 200, 403)),
    "quality:routine_new": ("get", {"process_id": "q"}, expect(QUALITY_WORKERS, 200, 403)),
    "quality:routine": ("get", {"routine_id": "q"}, expect(QUALITY, 200, 403)),
    "kundval:home": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:area": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:area_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:area_edit": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:districts": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    # Empty posts: refused by role (403) or by their content (400), nothing saved.
    "kundval:district_new": ("post", {"area_id": "kv"}, expect(OFFICER, 400, 403)),
    "kundval:district_link": ("post", {"area_id": "kv"}, expect(OFFICER, 400, 403)),
    "kundval:district": (
        "get",
        {"area_id": "kv", "district_id": "kv"},
        expect(OFFICER, 200, 403),
    ),
    # The matrix district has a voucher: taking it out of the area is refused.
    "kundval:district_remove": (
        "post",
        {"area_id": "kv", "district_id": "kv"},
        expect(OFFICER, 400, 403),
    ),
    "kundval:terms": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:terms_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:area_terms": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:area_terms_new": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:terms_version": ("get", {"terms_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:terms_document": ("get", {"terms_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:price_list_new": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:index_change": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:price_correction": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:price_versions": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:applications": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:application_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:application": ("get", {"application_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:authorisation_stop": ("get", {"authorisation_id": "kv"}, expect(OFFICER, 200, 403)),
    # The letters of a stopped authorisation (an authorisation in force has none: 404).
    "kundval:authorisation_letters": (
        "get",
        {"authorisation_id": "kv_stopped"},
        expect(OFFICER, 200, 403),
    ),
    "kundval:customers": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:decision_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:voucher": ("get", {"voucher_id": "kv"}, expect(OFFICER | PROVIDER, 200, 404)),
    "kundval:choose": ("get", {"voucher_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:runs": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:run_new": ("post", {}, expect(OFFICER, 400, 403)),
    "kundval:run": ("get", {"run_id": "kv"}, expect(OFFICER | PROVIDER, 200, 403)),
    "kundval:run_again": ("post", {"run_id": "kv"}, expect(OFFICER, 302, 403)),
    "kundval:run_close": ("post", {"run_id": "kv"}, expect(OFFICER, 302, 403)),
    "kundval:finance_csv": ("get", {"run_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:basis": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:basis_xlsx": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:basis_pdf": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:portal": ("get", {}, expect(PROVIDER, 200, 403)),
    "kundval:portal_report": ("get", {}, expect(PROVIDER, 200, 403)),
    "kundval:portal_profile": ("get", {}, expect(PROVIDER, 200, 403)),
    "kundval:application_document": ("get", {"document_id": "kv"}, expect(OFFICER, 200, 403)),
    # The public e-service: the only kundval pages anonymous visitors reach. The receipt and
    # status pages answer to the secret link alone (a wrong token is tested in test_apply.py).
    "kundval:apply": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "kundval:apply_terms": (
        "get",
        {"terms_id": "kv"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "kundval:apply_terms_document": (
        "get",
        {"terms_id": "kv"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "kundval:apply_receipt": (
        "get",
        {"application_id": "kv", "token": "kv"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "kundval:apply_status": (
        "get",
        {"application_id": "kv", "token": "kv"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "orgwork:home": (
        "get",
        {},
        expect(OW_ASSIGNMENTS | OW_ORGANISING | OW_BOARDS, 200, 403),
    ),
    "orgwork:assignments": ("get", {}, expect(OW_ASSIGNMENTS, 200, 403)),
    "orgwork:assignment_new": ("get", {}, expect(OW_REQUESTERS, 200, 403)),
    "orgwork:assignment": (
        "get",
        {"assignment_id": "ow"},
        reached(OW_REACHES, 200, OW_ASSIGNMENTS),
    ),
    "orgwork:assignment_step": (
        "post",
        {"assignment_id": "ow"},
        reached(OW_REACHES, 400, OW_ASSIGNMENTS),
    ),
    "orgwork:assignment_plan": (
        "get",
        {"assignment_id": "ow"},
        reached(OW_QUALITY, 200, OW_ASSIGNMENTS),
    ),
    "orgwork:assignment_decline": (
        "get",
        {"assignment_id": "ow"},
        reached(OW_QUALITY, 200, OW_ASSIGNMENTS),
    ),
    "orgwork:assignment_comment": (
        "post",
        {"assignment_id": "ow"},
        reached(OW_REACHES, 302, OW_ASSIGNMENTS),
    ),
    "orgwork:time": ("get", {}, expect(OW_QUALITY, 200, 403)),
    "orgwork:time_remove": ("post", {"entry_id": "ow"}, expect(OW_QUALITY, 302, 403)),
    "orgwork:time_report": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:time_report_xlsx": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:plans": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:catalogue": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:task_new": ("get", {}, expect(OW_EDITORS, 200, 403)),
    "orgwork:task_edit": ("get", {"task_id": "ow"}, expect(OW_EDITORS, 200, 403)),
    "orgwork:alternatives": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:alternatives_pdf": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:alternatives_xlsx": ("get", {}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:alternative_places": (
        "get",
        {"alternative_id": "ow"},
        expect(OW_EDITORS, 200, 403),
    ),
    "orgwork:alternative_adopt": (
        "get",
        {"alternative_id": "ow"},
        expect({"director"}, 200, 403),
    ),
    "orgwork:follow_up": ("get", {"follow_up_id": "ow"}, expect(OW_ORGANISING, 200, 403)),
    "orgwork:boards": ("get", {}, expect(OW_BOARDS, 200, 403)),
    "orgwork:meeting_new": ("get", {"board_id": "ow"}, expect(OW_SECRETARY, 200, 403)),
    "orgwork:meeting": ("get", {"meeting_id": "ow"}, expect(OW_BOARDS, 200, 403)),
    "orgwork:item_new": ("get", {"meeting_id": "ow"}, expect(OW_SECRETARY, 200, 403)),
    "orgwork:agenda_pdf": ("get", {"meeting_id": "ow"}, expect(OW_BOARDS, 200, 403)),
    "orgwork:item": ("get", {"item_id": "ow"}, expect(OW_BOARDS, 200, 403)),
    "orgwork:item_step": ("post", {"item_id": "ow"}, expect(OW_BOARDS, 400, 403)),
    "orgwork:item_decide": ("get", {"item_id": "ow"}, expect(OW_SECRETARY, 200, 403)),
    "orgwork:item_extract": ("get", {"item_id": "ow"}, expect(OW_SECRETARY, 200, 403)),
    # Incidents (issue 13, part B): deviations, complaints, Lex Sarah, provider follow-up.
    "incidents:deviations": ("get", {}, expect(ANY_ROLE, 200, 403)),
    "incidents:deviation_new": ("get", {}, expect(ANY_ROLE, 200, 403)),
    "incidents:deviation": (
        "get",
        {"deviation_id": "inc"},
        {**expect(INCIDENT_READERS, 200, 404), "outsider": 403, "former_worker": 403},
    ),
    "incidents:analysis": ("get", {}, expect(ANALYSTS, 200, 403)),
    "incidents:analysis_xlsx": ("get", {}, expect(ANALYSTS, 200, 403)),
    "incidents:complaints": ("get", {}, expect(COMPLAINT_HANDLERS, 200, 403)),
    "incidents:complaint_new": ("get", {}, expect(MUNICIPAL, 200, 403)),
    "incidents:complaint": (
        "get",
        {"complaint_id": "inc"},
        expect({"unit_head", "quality_developer"}, 200, 404),
    ),
    "incidents:lexsarah_list": (
        "get",
        {},
        expect({"unit_head", "other_unit_head", "quality_developer"}, 200, 403),
    ),
    "incidents:lexsarah_new": ("get", {}, expect(MUNICIPAL, 200, 403)),
    "incidents:lexsarah": ("get", {"case_id": "inc"}, expect(INCIDENT_READERS, 200, 404)),
    # The report to IVO: for those who take the report through its steps.
    "incidents:lexsarah_ivo_pdf": ("get", {"case_id": "inc"}, expect({"unit_head"}, 200, 404)),
    "incidents:follow_ups": ("get", {}, expect(FOLLOW_UP_STAFF | PROVIDER, 200, 403)),
    "incidents:follow_up": (
        "get",
        {"follow_up_id": "inc"},
        expect(FOLLOW_UP_STAFF | PROVIDER, 200, 403),
    ),
    "incidents:follow_up_pdf": (
        "get",
        {"follow_up_id": "inc"},
        expect(FOLLOW_UP_STAFF | PROVIDER, 200, 403),
    ),
    "incidents:point": ("get", {"point_id": "inc"}, expect(FOLLOW_UP_STAFF, 200, 403)),
    "incidents:point_document": ("get", {"document_id": "inc"}, expect(FOLLOW_UP_STAFF, 200, 403)),
    # The public complaints e-service: no login; the receipt and status answer to the link.
    "incidents:complaint_public": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "incidents:complaint_receipt": (
        "get",
        {"complaint_id": "inc", "token": "inc"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "incidents:complaint_status": (
        "get",
        {"complaint_id": "inc", "token": "inc"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    # Goals and national comparison (issue 15); empty posts are refused by their content.
    "goals:overview": ("get", {}, expect(LEADERS, 200, 403)),
    "goals:board": ("get", {"board_id": "goals"}, expect(LEADERS, 200, 403)),
    "goals:board_pdf": ("get", {"board_id": "goals"}, expect(LEADERS, 200, 403)),
    "goals:board_xlsx": ("get", {"board_id": "goals"}, expect(LEADERS, 200, 403)),
    "goals:indicator": ("get", {"indicator_id": "goals"}, expect(LEADERS, 200, 403)),
    "goals:goal_new": ("post", {}, expect(LEADERS, 400, 403)),
    "goals:target_new": ("post", {"goal_id": "goals"}, expect(LEADERS, 400, 403)),
    "goals:follow_up": ("post", {"goal_id": "goals"}, expect(LEADERS, 400, 403)),
    "goals:groups": ("post", {}, expect(LEADERS, 400, 403)),
    "goals:national_load": ("post", {}, expect(LEADERS, 400, 403)),
    "goals:own_values": ("post", {}, expect(LEADERS, 400, 403)),
    # The public side (issue 14): open to everyone, nothing personal shown; the officer's queue
    # of the public's requests; the quality developer's survey import.
    "public:home": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:providers": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:provider": (
        "get",
        {"provider_id": "pub"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "public:compare": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:ask": (
        "get",
        {"area_id": "pub", "provider_id": "pub"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "public:ask_receipt": (
        "get",
        {"key": "pub_ask"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "public:concern": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:concern_receipt": (
        "get",
        {"key": "pub_concern"},
        expect(set(PERSONAS), 200, 200, anonymous=200),
    ),
    "public:accessibility": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:defect": ("get", {}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "public:officer_queue": ("get", {}, expect(OFFICER, 200, 403)),
    "public:officer_request": ("get", {"request_id": "pub"}, expect(OFFICER, 200, 403)),
    "surveys:import": ("get", {}, expect({"quality_developer"}, 200, 403)),
    "surveys:import_continuity": ("get", {}, expect({"quality_developer"}, 200, 403)),
}

# API endpoints answer to tokens, not to sessions: persona -> status with that persona's token.
API_MATRIX = {
    "api:me": ({}, expect(set(PERSONAS), 200, 200, anonymous=401)),
    "api:units": ({}, expect(MUNICIPAL, 200, 403, anonymous=401)),
    "api:individuals": ({"q": "Kö"}, expect(CASE_STAFF, 200, 403, anonymous=401)),
    "api:individual": (
        {"individual_id": "queue"},
        expect(READS_QUEUE_CHILD, 200, 404, anonymous=401),
    ),
    "api:create_report": ({"method": "post"}, expect(REGISTRARS, 422, 403, anonymous=401)),
    "api:tracks": ({}, expect(CASE_STAFF, 200, 403, anonymous=401)),
    "api:track": ({"track_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404, anonymous=401)),
    # Kundval (issue 4); the POST endpoints are tested in kundval/tests/test_api.py.
    "api:kundval_vouchers": ({}, expect(OFFICER | PROVIDER, 200, 403, anonymous=401)),
    "api:kundval_basis": (
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403, anonymous=401),
    ),
    "api:kundval_decision": ({}, expect(set(), 405, 405, anonymous=405)),
    "api:kundval_choice": ({"voucher_id": "kv"}, expect(set(), 405, 405, anonymous=405)),
    "api:kundval_performance": ({}, expect(set(), 405, 405, anonymous=405)),
    "api:openapi-json": ({}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "api:api-root": ({}, expect(set(), 404, 404, anonymous=404)),
}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    assert _names(get_resolver()) == set(MATRIX) | set(API_MATRIX)


# The pages anonymous visitors get: the login page and the kundval e-service, nothing else.
PUBLIC = {
    "accounts:login",
    "kundval:apply",
    "kundval:apply_terms",
    "kundval:apply_terms_document",
    "kundval:apply_receipt",
    "kundval:apply_status",
    "incidents:complaint_public",
    "incidents:complaint_receipt",
    "incidents:complaint_status",
    "public:home",
    "public:providers",
    "public:provider",
    "public:compare",
    "public:ask",
    "public:ask_receipt",
    "public:concern",
    "public:concern_receipt",
    "public:accessibility",
    "public:defect",
}


def _views(resolver: URLResolver, prefix: str = "") -> dict[str, object]:
    views: dict[str, object] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace != "admin":
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            views |= _views(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            views[f"{prefix}{pattern.name}"] = pattern.callback
    return views


def test_anonymous_visitors_reach_only_the_public_pages():
    assert {name for name, (_m, _k, expected) in MATRIX.items() if expected[ANON] == 200} == PUBLIC
    # ...and exactly those views say so (Django's login_not_required, access.decorators.public).
    marked = {
        name
        for name, view in _views(get_resolver()).items()
        if getattr(view, "login_required", True) is False and not name.startswith("api:")
    }
    assert marked == PUBLIC


def child_records(world) -> dict[str, int]:
    """A report on the queue child and an investigation with a follow-up on the investigated."""
    import datetime as dt
    import uuid

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tillit.children import actions
    from tillit.children.models import (
        Deadline,
        DeadlineKind,
        ImportStatus,
        ReportAttachment,
        ReportImport,
    )

    if hasattr(world, "_child_records"):
        return world._child_records
    report = actions.register_report(
        actions.ReportInput(
            group=world.reception,
            received_at=timezone.now() - dt.timedelta(hours=1),
            channel="telefon",
            reporter_category="skola",
            reporter_name="Mentor",
            concerns=["omsorgssvikt"],
            description="Oro",
            children=[actions.ChildRef(individual=world.children["queue"])],
            submission_key=uuid.uuid4(),
        ),
        by=world.people["reception_worker"],
    )
    attachment = ReportAttachment(
        report=report, original_name="brev.txt", content_type="text/plain", size=4
    )
    attachment.file.save("brev.txt", ContentFile(b"Oro\n"))
    today = timezone.localdate()
    investigation = actions.open_investigation(
        individual=world.children["investigated"],
        group=world.investigation,
        opened_on=today,
        holder=world.people["investigation_worker"],
        by=world.people["unit_head"],
    )
    intervention = actions.decide_intervention(
        investigation,
        by=world.people["unit_head"],
        kind="oppenvard",
        decided_on=today,
        starts_on=today,
        follow_ups=[today + dt.timedelta(days=30)],
    )
    job = ReportImport.objects.create(
        group=world.reception,
        created_by=world.people["unit_head"],
        original_name="historik.csv",
        status=ImportStatus.CHECKED,
        total_rows=1,
    )
    world._child_records = {
        "import_id": job.pk,
        "report_id": report.pk,
        "track_id": report.tracks.get().pk,
        "attachment_id": attachment.pk,
        "investigation_id": investigation.pk,
        "follow_up_id": intervention.follow_ups.get().pk,
        "deadline_id": Deadline.objects.get(
            kind=DeadlineKind.PROTECTIVE, track=report.tracks.get()
        ).pk,
    }
    return world._child_records


def _url(world, name: str, kwargs: dict[str, str]) -> str:
    resolved: dict[str, int | str] = {}
    for key, ref in kwargs.items():
        if key == "unit_id":
            resolved[key] = world.unit.pk
        elif key == "user_id":
            resolved[key] = world.people[ref].pk
        elif key == "individual_id":
            resolved[key] = world.children[ref].pk
        elif key == "case_id" and ref in world.cases:
            resolved[key] = world.cases[ref].pk
        elif ref == "ow":
            from tillit.orgwork.tests.factories import matrix_objects as orgwork_objects

            resolved[key] = orgwork_objects(world)[key]
        elif ref == "inc":
            from tillit.incidents.tests.factories import matrix_objects as incident_objects

            resolved[key] = incident_objects(world)[key]
        elif ref == "q":
            from tillit.quality.tests.factories import matrix_objects as quality_objects

            resolved[key] = quality_objects(world)[key]
        elif ref == "goals":
            from tillit.goals.tests.factories import matrix_objects as goal_objects

            resolved[key] = goal_objects(world)[key]
        elif ref.startswith("pub"):
            from tillit.public.tests.factories import public_objects

            resolved[key] = public_objects(world)[key if ref == "pub" else ref]
        elif ref in {"kv", "kv_stopped"}:
            from tillit.kundval.tests.factories import matrix_objects

            resolved[key] = matrix_objects(world)[key if ref == "kv" else "stopped_" + key]
        else:
            resolved[key] = child_records(world)[key]
    return reverse(name, kwargs=resolved)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_matrix(world, name):
    method, kwargs, expected = MATRIX[name]
    url = _url(world, name, kwargs)
    answers = {}
    for persona in ALL:
        response = getattr(world.client(persona), method)(url)
        answers[persona] = response.status_code
    assert answers == expected


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_matrix(world, name, client):
    from django.utils import timezone

    kwargs, expected = API_MATRIX[name]
    method = kwargs.get("method", "get")
    path_kwargs = {k: v for k, v in kwargs.items() if k not in {"q", "method"}}
    url = _url(world, name, path_kwargs)
    query = {"q": kwargs["q"]} if "q" in kwargs else {}
    answers = {}
    for persona in ALL:
        headers = {}
        if persona is not None:
            _token, raw = ApiToken.issue(
                world.people[persona], "test", timezone.now() + timezone.timedelta(days=1)
            )
            headers = {"Authorization": f"Bearer {raw}"}
        if method == "post":  # an empty report: refused by role (403) or by its content (422)
            response = client.post(url, {}, content_type="application/json", headers=headers)
        else:
            response = client.get(url, query, headers=headers)
        answers[persona] = response.status_code
    assert answers == expected


# --- Kundval ids that must not be reached (issue 9) ------------------------------------------
# Another municipality's kundval: an area of another unit, its customer's voucher held by
# another provider, and a computed run with that provider's basis. Nobody in the world reaches
# any of it; neither does anyone reach the world's children for a kundval decision. Each
# attempt that gets past the role check answers 404 and writes a refused row.


def unreachable_kundval(world) -> dict[str, int]:
    import datetime as dt

    from django.utils import timezone

    from tillit.kundval.actions.payments import run_month
    from tillit.kundval.actions.vouchers import choose_provider
    from tillit.kundval.models import CompensationModel
    from tillit.kundval.periods import month_start
    from tillit.kundval.tests import factories as f

    if hasattr(world, "_unreachable_kundval"):
        return world._unreachable_kundval
    f.matrix_objects(world)
    elsewhere = f.place()
    theirs = f.provider("Annan omsorg AB")
    made, district = f.area(
        elsewhere, CompensationModel.GRANTED_HOUR, rates=[f.RateInput(f.Decimal("400.00"))]
    )
    f.authorise(theirs, made, [district])
    sold = f.voucher(made, district, dt.date(2020, 1, 1), hours="8")
    choose_provider(
        voucher=sold,
        provider=theirs,
        chosen_on=dt.date(2020, 1, 1),
        wanted_from=dt.date(2020, 1, 1),
        by=TEST_ACTOR,
    )
    run = run_month(
        elsewhere.municipality, month_start(timezone.localdate()), now=timezone.now(), by=TEST_ACTOR
    )
    world._unreachable_kundval = {
        "voucher_id": sold.pk,
        "run_id": run.pk,
        "provider_id": theirs.pk,
        "area_id": made.pk,
    }
    return world._unreachable_kundval


# name -> (kwargs, expected status per persona); 404 means: refused and logged.
UNREACHABLE_PAGES = {
    "kundval:voucher": expect(set(), 200, 404),
    "kundval:choose": expect(set(), 200, 403) | {"kundval_officer": 404},
    "kundval:basis": expect(set(), 200, 403) | dict.fromkeys(OFFICER | PROVIDER, 404),
    "kundval:basis_xlsx": expect(set(), 200, 403) | dict.fromkeys(OFFICER | PROVIDER, 404),
    "kundval:basis_pdf": expect(set(), 200, 403) | dict.fromkeys(OFFICER | PROVIDER, 404),
}


def _refused(world, persona: str | None) -> int:
    from tillit.audit.models import AccessAction, AccessLog

    if persona is None:
        return 0
    return AccessLog.objects.filter(
        actor=world.people[persona], action=AccessAction.DENIED, basis="nekad"
    ).count()


@pytest.mark.parametrize("name", sorted(UNREACHABLE_PAGES))
def test_unreachable_kundval_pages(world, name):
    expected = UNREACHABLE_PAGES[name]
    ids = unreachable_kundval(world)
    kwargs = {"voucher_id": ids["voucher_id"]}
    if "basis" in name:
        kwargs = {"run_id": ids["run_id"], "provider_id": ids["provider_id"]}
    url = reverse(name, kwargs=kwargs)
    answers, logged = {}, {}
    for persona in ALL:
        before = _refused(world, persona)
        answers[persona] = world.client(persona).get(url).status_code
        logged[persona] = _refused(world, persona) - before
    assert answers == expected
    assert logged == {p: int(status == 404) for p, status in expected.items()}


def _api_answers(world, client, method: str, url: str, body: dict | None = None):
    from django.utils import timezone

    answers, logged, bodies = {}, {}, {}
    for persona in ALL:
        headers = {}
        if persona is not None:
            _token, raw = ApiToken.issue(
                world.people[persona], "test", timezone.now() + timezone.timedelta(days=1)
            )
            headers = {"Authorization": f"Bearer {raw}"}
        before = _refused(world, persona)
        if method == "post":
            response = client.post(url, body, content_type="application/json", headers=headers)
        else:
            response = client.get(url, headers=headers)
        answers[persona] = response.status_code
        bodies[persona] = response.json()
        logged[persona] = _refused(world, persona) - before
    return answers, logged, bodies


@pytest.mark.parametrize("child", ["queue", "other_unit", "protected", "investigated"])
def test_a_kundval_decision_for_an_unreachable_person_is_refused(world, client, child):
    from tillit.kundval.models import Decision
    from tillit.kundval.tests.factories import matrix_objects

    ids = matrix_objects(world)
    decisions = Decision.objects.count()
    body = {
        "individual_id": world.children[child].pk,
        "area_id": ids["area_id"],
        "district_id": ids["district_id"],
        "valid_from": "2026-01-01",
        "decided_on": "2025-12-20",
        "hours_per_month": "10",
    }
    answers, logged, bodies = _api_answers(world, client, "post", "/api/kundval/decisions", body)
    assert answers == expect(set(), 201, 403, anonymous=401) | {"kundval_officer": 404}
    assert bodies["kundval_officer"] == {"detail": "Finns inte."}
    assert logged == {p: int(status == 404) for p, status in answers.items()}
    assert Decision.objects.count() == decisions


def test_unreachable_kundval_ids_in_the_api(world, client):
    ids = unreachable_kundval(world)
    basis = reverse(
        "api:kundval_basis", kwargs={"run_id": ids["run_id"], "provider_id": ids["provider_id"]}
    )
    answers, logged, _bodies = _api_answers(world, client, "get", basis)
    assert answers == expect(OFFICER | PROVIDER, 404, 403, anonymous=401)
    assert logged == {p: int(status == 404) for p, status in answers.items()}
    choice = reverse("api:kundval_choice", kwargs={"voucher_id": ids["voucher_id"]})
    body = {
        "provider_id": ids["provider_id"],
        "chosen_on": "2026-01-01",
        "wanted_from": "2026-01-01",
    }
    answers, logged, _bodies = _api_answers(world, client, "post", choice, body)
    assert answers == expect(OFFICER, 404, 403, anonymous=401)
    assert logged == {p: int(status == 404) for p, status in answers.items()}
    # The vouchers list does not contain it for anyone.
    listed, _logged, bodies = _api_answers(world, client, "get", reverse("api:kundval_vouchers"))
    for persona, status in listed.items():
        if status == 200:
            assert ids["voucher_id"] not in {v["id"] for v in bodies[persona]["items"]}
