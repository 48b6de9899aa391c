"""The CSV import of historical reports: every bad row listed, all rows written or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from django.db.models import Model

from tillit.changelog.models import Change
from tillit.children import importing
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialAssessment,
    Intervention,
    Investigation,
    ProtectiveAssessment,
    Report,
    ReportedChild,
)
from tillit.children.tests.conftest import NOW
from tillit.conftest import World
from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Case, Individual

HEADER = [
    "mottagen",
    "kanal",
    "anmalare",
    "anmalningsskyldig",
    "anonym",
    "anmalare_namn",
    "anmalare_verksamhet",
    "oro",
    "beskrivning",
    "personnummer",
    "fornamn",
    "efternamn",
    "skyddsbedomning_tid",
    "skydd_behovs",
    "skyddsbedomning_motivering",
    "skyddsbedomning_atgard",
    "forhandsbedomning_datum",
    "forhandsbedomning_beslut",
    "forhandsbedomning_skal",
    "overflyttad_till",
    "grupp",
    "utredning_avslutad",
    "utredning_beslut",
    "utredning_motivering",
    "insats",
]
# Test personnummer from the series not given to residents (demo/personnummer.py).
PNR_A = with_check_digit("20140101998")
PNR_B = with_check_digit("20150202997")
PNR_C = with_check_digit("20160303996")

# Received on a Thursday at 10:00: protective due that day, initial due Thursday 22 January.
DECIDED = {
    "mottagen": "2026-01-08 10:00",
    "kanal": "telefon",
    "anmalare": "skola",
    "anmalningsskyldig": "ja",
    "anmalare_namn": "Mentor",
    "anmalare_verksamhet": "Testskolan",
    "oro": "omsorgssvikt",
    "beskrivning": "Barnet kommer hungrigt till skolan.",
    "personnummer": PNR_A,
    "fornamn": "Alva",
    "efternamn": "Testsson",
    "skyddsbedomning_tid": "2026-01-08 11:00",
    "skydd_behovs": "nej",
    "skyddsbedomning_motivering": "Ingen akut fara.",
    "forhandsbedomning_datum": "2026-01-20",
    "forhandsbedomning_beslut": "inleds_ej",
    "forhandsbedomning_skal": "Familjen har redan stöd.",
}
# Received on a Friday after the cut-off: protective due Monday 12 January, done late on the 13th;
# the decision opens an investigation (due 20 May) closed 2 March without an intervention.
INVESTIGATED = {
    **DECIDED,
    "mottagen": "2026-01-09 17:00",
    "oro": "vald_mot_barnet|omsorgssvikt",
    "personnummer": PNR_B,
    "fornamn": "Bo",
    "skyddsbedomning_tid": "2026-01-13 09:00",
    "forhandsbedomning_beslut": "inled_utredning",
    "forhandsbedomning_skal": "",
    "grupp": "Utredning",
    "utredning_avslutad": "2026-03-02",
    "utredning_beslut": "ingen_insats",
    "utredning_motivering": "Föräldrarna tar emot stöd frivilligt.",
}
# Received the day before NOW and not yet assessed: both deadlines still open.
OPEN = {
    "mottagen": "2026-03-11 09:00",
    "kanal": "brev",
    "anmalare": "anonym",
    "anonym": "ja",
    "oro": "annat",
    "beskrivning": "Oro för ett barn.",
    "personnummer": PNR_C,
    "fornamn": "Cilla",
    "efternamn": "Testsson",
}


def csv_bytes(
    rows: Iterable[dict[str, str]], header: list[str] = HEADER, sep: str = ";", bom: bool = False
) -> bytes:
    def cell(value: str) -> str:
        if sep in value or '"' in value or "\n" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [sep.join(header)]
    lines += [sep.join(cell(row.get(name, "")) for name in header) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Individual,
        Case,
        Report,
        ReportedChild,
        ProtectiveAssessment,
        InitialAssessment,
        Investigation,
        Intervention,
        Deadline,
    ]
    return {m.__name__: m.objects.count() for m in models}


def check(world: World, rows: list[dict[str, str]], **kwargs: object) -> importing.Check:
    return importing.check_file(csv_bytes(rows, **kwargs), world.reception, now=NOW)  # type: ignore[arg-type]


def run(world: World, rows: list[dict[str, str]]) -> importing.Summary:
    return importing.import_file(
        csv_bytes(rows), world.reception, by=world.people["unit_head"], now=NOW
    )


def deadline(kind: str, **subject: object) -> tuple[object, ...]:
    row = Deadline.objects.get(kind=kind, **subject)
    return (row.started_on, row.nominal_due, row.due, row.completed_on, row.late_reason)


# --- A good file ----------------------------------------------------------------------------------


def test_a_good_file_imports_every_step_with_its_deadlines(reception):
    summary = run(reception, [DECIDED, INVESTIGATED, OPEN])

    assert (summary.rows, summary.reports, summary.investigations) == (3, 3, 1)
    assert summary.deadlines == 7
    assert summary.late_without_reason == 1
    decided = ReportedChild.objects.get(individual__personal_number=PNR_A)
    assert deadline(DeadlineKind.PROTECTIVE, track=decided) == (
        dt.date(2026, 1, 8),
        dt.date(2026, 1, 8),
        dt.date(2026, 1, 8),
        dt.date(2026, 1, 8),
        "",
    )
    assert deadline(DeadlineKind.INITIAL, track=decided) == (
        dt.date(2026, 1, 8),
        dt.date(2026, 1, 22),
        dt.date(2026, 1, 22),
        dt.date(2026, 1, 20),
        "",
    )
    investigated = ReportedChild.objects.get(individual__personal_number=PNR_B)
    # Received Friday 9 January after the cut-off: due Saturday 10 January, which lag (1930:173)
    # does not move; assessed Tuesday 13 January, late.
    assert deadline(DeadlineKind.PROTECTIVE, track=investigated) == (
        dt.date(2026, 1, 9),
        dt.date(2026, 1, 10),
        dt.date(2026, 1, 10),
        dt.date(2026, 1, 13),
        importing.LATE_REASON_UNRECORDED,
    )
    investigation = Investigation.objects.get(origin=investigated)
    assert investigation.case.group == reception.investigation
    assert (investigation.opened_on, investigation.closed_on, investigation.outcome) == (
        dt.date(2026, 1, 20),
        dt.date(2026, 3, 2),
        "ingen_insats",
    )
    assert deadline(DeadlineKind.INVESTIGATION, investigation=investigation) == (
        dt.date(2026, 1, 20),
        dt.date(2026, 5, 20),
        dt.date(2026, 5, 20),
        dt.date(2026, 3, 2),
        "",
    )
    still_open = ReportedChild.objects.get(individual__personal_number=PNR_C)
    assert deadline(DeadlineKind.PROTECTIVE, track=still_open)[2:] == (
        dt.date(2026, 3, 11),
        None,
        "",
    )
    assert deadline(DeadlineKind.INITIAL, track=still_open)[2:] == (dt.date(2026, 3, 25), None, "")
    assert still_open.report.anonymous
    assert still_open.report.reporter_name == ""
    assert investigated.report.about_violence
    assert investigated.report.registered_by == reception.people["unit_head"]


def test_the_import_logs_each_report_and_each_new_child_by_the_importer(reception):
    run(reception, [DECIDED, INVESTIGATED, OPEN])
    imported = Change.objects.filter(event="children.report.imported").order_by("pk")
    assert [c.actor for c in imported] == [reception.people["unit_head"]] * 3
    investigated = ReportedChild.objects.get(individual__personal_number=PNR_B)
    row = imported.get(object_id=investigated.report_id)
    assert row.changed["children"] == [None, [investigated.individual_id]]
    assert row.changed["investigation"][1] == Investigation.objects.get(origin=investigated).pk
    registered = Change.objects.filter(event="individuals.individual.registered")
    assert sorted(r.object_id for r in registered) == sorted(
        ReportedChild.objects.values_list("individual_id", flat=True)
    )


def test_finished_history_closes_the_cases_it_opened_and_open_history_stays_open(reception):
    run(reception, [DECIDED, INVESTIGATED, OPEN])

    closed = {
        (c.individual.personal_number, c.group.name): c.closed_on
        for c in Case.objects.filter(individual__personal_number__in=[PNR_A, PNR_B, PNR_C])
    }
    assert closed == {
        (PNR_A, "Mottagning"): dt.date(2026, 1, 20),
        (PNR_B, "Mottagning"): dt.date(2026, 1, 20),
        (PNR_B, "Utredning"): dt.date(2026, 3, 2),
        (PNR_C, "Mottagning"): None,
    }


def test_a_child_already_registered_is_found_by_personnummer_and_keeps_its_open_case(reception):
    queue = reception.children["queue"]
    before = Individual.objects.count()
    row = {**OPEN, "personnummer": queue.personal_number, "fornamn": "", "efternamn": ""}

    run(reception, [row])

    track = ReportedChild.objects.get(individual=queue)
    assert track.case == reception.cases["queue"]
    assert Individual.objects.count() == before


def test_an_intervention_outcome_stores_the_intervention(reception):
    row = {**INVESTIGATED, "utredning_beslut": "insats", "insats": "oppenvard"}

    run(reception, [row])

    intervention = Intervention.objects.get()
    assert (intervention.kind, intervention.decided_on) == ("oppenvard", dt.date(2026, 3, 2))
    assert (
        Case.objects.get(group=reception.investigation, individual__personal_number=PNR_B).closed_on
        is None
    )


def test_a_report_joining_an_investigation_opened_later_in_the_file_is_attached(reception):
    ongoing = {
        **INVESTIGATED,
        "utredning_avslutad": "",
        "utredning_beslut": "",
        "utredning_motivering": "",
    }
    joining = {
        **DECIDED,
        "personnummer": PNR_B,
        "mottagen": "2026-02-02 10:00",
        "skyddsbedomning_tid": "2026-02-02 11:00",
        "forhandsbedomning_datum": "2026-02-03",
        "forhandsbedomning_beslut": "pagaende_utredning",
        "forhandsbedomning_skal": "",
    }

    run(reception, [joining, ongoing])

    track = ReportedChild.objects.get(received_at__date=dt.date(2026, 2, 2))
    assert track.attached_to == Investigation.objects.get()


def test_comma_separated_with_bom_reads_like_semicolons(reception):
    semi = check(reception, [DECIDED, INVESTIGATED])
    comma = check(reception, [DECIDED, INVESTIGATED], sep=",", bom=True)

    assert semi.ok
    assert comma.ok
    assert [r.key for r in semi.rows] == [r.key for r in comma.rows]


def test_columns_in_any_order_and_optional_columns_left_out(reception):
    header = [
        "beskrivning",
        "oro",
        "anmalare",
        "kanal",
        "mottagen",
        "anmalare_namn",
        "fodelsedatum",
        "fornamn",
        "efternamn",
    ]
    row = {
        **OPEN,
        "anmalare": "granne",
        "anonym": "",
        "anmalare_namn": "Granne",
        "fodelsedatum": "2016-03-03",
    }

    result = check(reception, [row], header=header)

    assert result.ok, result.bad


# --- Dry run and all-or-nothing -------------------------------------------------------------------


def test_the_dry_run_writes_nothing(reception):
    before = counts()

    result = check(reception, [DECIDED, INVESTIGATED, OPEN])

    assert result.ok
    assert (result.total, result.late_without_reason) == (3, 1)
    assert counts() == before


def test_one_bad_row_at_the_end_writes_nothing(reception):
    before = counts()
    bad = {**OPEN, "personnummer": PNR_A[:-1] + str((int(PNR_A[-1]) + 1) % 10)}

    with pytest.raises(importing.ImportRefusedError) as refused:
        run(reception, [DECIDED, INVESTIGATED, OPEN, bad])

    assert [(b.line, b.reasons) for b in refused.value.check.bad] == [
        (5, ["personnummer: Kontrollsiffran stämmer inte. Kontrollera numret."])
    ]
    assert counts() == before


def test_a_failure_while_writing_writes_nothing(reception, monkeypatch):
    before = counts()

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.tracking, "bulk_create_new", broken)
    with pytest.raises(RuntimeError):
        run(reception, [DECIDED, INVESTIGATED, OPEN])

    assert counts() == before


def test_the_same_file_twice_is_refused_the_second_time(reception):
    run(reception, [DECIDED, OPEN])

    again = check(reception, [DECIDED, OPEN])

    assert [(b.line, b.reasons) for b in again.bad] == [
        (2, ["raden: Raden är redan importerad."]),
        (3, ["raden: Raden är redan importerad."]),
    ]


# --- Bad rows: every reason, at its line ----------------------------------------------------------

BAD_ROWS = [
    ({"mottagen": "8/1 2026"}, "mottagen: Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
    ({"mottagen": ""}, "mottagen: Ange när anmälan togs emot."),
    (
        {"mottagen": "2026-03-20 10:00"},
        [
            "mottagen: Mottagningstiden kan inte ligga i framtiden.",
            "skyddsbedomning_tid: Skyddsbedömningen kan inte vara gjord före mottagandet.",
            "forhandsbedomning_datum: Beslutet kan inte fattas före mottagandet av anmälan.",
        ],
    ),
    (
        {"kanal": "fax"},
        "kanal: Okänt värde ”fax”; tillåtna värden: telefon, brev, e_tjanst, polisanmalan, "
        "besok, annat.",
    ),
    ({"kanal": ""}, "kanal: Ange hur anmälan kom in."),
    ({"anmalningsskyldig": "kanske"}, "anmalningsskyldig: Ange ja eller nej."),
    ({"oro": ""}, "oro: Välj minst ett område som oron gäller."),
    (
        {"oro": "omsorgssvikt|hunger"},
        "oro: Okända koder ”hunger”; tillåtna: vald_mot_barnet, bevittnat_vald, "
        "hedersrelaterat, foralders_missbruk, omsorgssvikt, sexuella_overgrepp, eget_beteende, "
        "annat.",
    ),
    ({"beskrivning": " "}, "beskrivning: Beskriv vad anmälan gäller."),
    (
        {"anonym": "ja"},
        "anonym: En anonym anmälan får inte innehålla uppgifter om anmälaren.",
    ),
    ({"anmalare": "anonym"}, "anmalare: Anmälaren är anonym: markera anmälan som anonym."),
    (
        {"anmalare_namn": ""},
        "anmalare_namn: Ange anmälarens namn, eller markera anmälan som anonym.",
    ),
    ({"anmalare_namn": "x" * 201}, "anmalare_namn: Högst 200 tecken."),
    (
        {"personnummer": "20140101-9990"},
        "personnummer: Kontrollsiffran stämmer inte. Kontrollera numret.",
    ),
    (
        {"personnummer": "2014-01-01"},
        "personnummer: Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.",
    ),
    ({"personnummer": ""}, "personnummer: Ange personnummer eller födelsedatum för varje barn."),
    ({"fornamn": ""}, "fornamn: Ange för- och efternamn för varje barn."),
    (
        {"skyddsbedomning_tid": "2026-01-08 09:59"},
        "skyddsbedomning_tid: Skyddsbedömningen kan inte vara gjord före mottagandet.",
    ),
    ({"skyddsbedomning_motivering": ""}, "skyddsbedomning_motivering: Motivera bedömningen."),
    (
        {"skydd_behovs": "ja"},
        "skyddsbedomning_atgard: Ange vilken åtgärd som vidtogs för att skydda barnet.",
    ),
    ({"skydd_behovs": ""}, "skydd_behovs: Ange ja eller nej."),
    (
        {"skyddsbedomning_tid": "", "skydd_behovs": "", "skyddsbedomning_motivering": ""},
        "skyddsbedomning_tid: Skyddsbedömningen måste vara gjord innan beslut fattas.",
    ),
    (
        {"forhandsbedomning_datum": "2026-01-07"},
        "forhandsbedomning_datum: Beslutet kan inte fattas före mottagandet av anmälan.",
    ),
    (
        {"forhandsbedomning_datum": "2026-03-13"},
        "forhandsbedomning_datum: Beslutsdatum kan inte ligga i framtiden.",
    ),
    ({"forhandsbedomning_datum": ""}, "forhandsbedomning_datum: Ange beslutsdatum."),
    ({"forhandsbedomning_beslut": ""}, "forhandsbedomning_beslut: Välj ett beslut."),
    ({"forhandsbedomning_skal": ""}, "forhandsbedomning_skal: Ange skälen för beslutet."),
    (
        {"forhandsbedomning_beslut": "overflyttning"},
        "overflyttad_till: Ange vilken kommun ärendet flyttas till.",
    ),
    (
        {"forhandsbedomning_beslut": "pagaende_utredning"},
        "forhandsbedomning_beslut: Det finns ingen pågående utredning om barnet.",
    ),
    (
        {"forhandsbedomning_beslut": "inled_utredning", "forhandsbedomning_skal": ""},
        "grupp: Välj vilken grupp som ska utreda.",
    ),
    (
        {"forhandsbedomning_beslut": "inled_utredning", "grupp": "Ekonomi"},
        "grupp: Det finns ingen grupp med det namnet i enheten.",
    ),
    (
        {"utredning_avslutad": "2026-02-01"},
        "utredning_avslutad: Uppgifter om utredning kräver beslutet inled_utredning.",
    ),
]
BAD_INVESTIGATIONS = [
    (
        {"utredning_avslutad": "2026-01-19"},
        "utredning_avslutad: Utredningen kan inte avslutas före att den inleddes.",
    ),
    (
        {"utredning_avslutad": "2026-03-13"},
        "utredning_avslutad: Datumet kan inte ligga i framtiden.",
    ),
    ({"utredning_avslutad": "2026-13-01"}, "utredning_avslutad: Ange datum som ÅÅÅÅ-MM-DD."),
    ({"utredning_avslutad": ""}, "utredning_avslutad: Ange när utredningen avslutades."),
    ({"utredning_motivering": ""}, "utredning_motivering: Motivera beslutet."),
    ({"utredning_beslut": ""}, "utredning_beslut: Välj ett beslut."),
    ({"utredning_beslut": "insats"}, "insats: Ange vilken insats som beslutades."),
    ({"insats": "oppenvard"}, "insats: En insats anges bara när utredningens beslut är insats."),
]


@pytest.mark.parametrize(
    ("base", "changes", "reason"),
    [(DECIDED, c, r) for c, r in BAD_ROWS] + [(INVESTIGATED, c, r) for c, r in BAD_INVESTIGATIONS],
)
def test_each_bad_value_is_refused_with_its_reason_at_its_line(reception, base, changes, reason):
    result = check(reception, [OPEN, {**base, **changes}, DECIDED | {"personnummer": PNR_C}])

    reasons = reason if isinstance(reason, list) else [reason]
    assert [(b.line, b.reasons) for b in result.bad] == [(3, reasons)]
    assert not result.ok


def test_several_bad_fields_in_a_row_are_all_listed(reception):
    row = {**DECIDED, "kanal": "fax", "beskrivning": "", "forhandsbedomning_skal": ""}

    [bad] = check(reception, [row]).bad

    assert [reason.split(":")[0] for reason in bad.reasons] == [
        "kanal",
        "beskrivning",
        "forhandsbedomning_skal",
    ]


def test_every_bad_row_is_listed_with_the_line_it_starts_on(reception):
    multi_line = {**DECIDED, "beskrivning": "Första raden\nandra raden", "personnummer": PNR_C}
    rows = [
        DECIDED,
        {**OPEN, "kanal": "fax"},
        multi_line,
        {**OPEN, "personnummer": PNR_B, "oro": ""},
        INVESTIGATED | {"personnummer": PNR_C, "utredning_motivering": ""},
    ]

    result = check(reception, rows)

    assert [(b.line, [r.split(":")[0] for r in b.reasons]) for b in result.bad] == [
        (3, ["kanal"]),
        (6, ["oro"]),
        (7, ["utredning_motivering"]),
    ]


def test_a_row_with_the_wrong_number_of_fields_is_refused(reception):
    data = csv_bytes([DECIDED]) + b"2026-01-08 10:00;telefon\r\n"

    result = importing.check_file(data, reception.reception, now=NOW)

    assert [(b.line, b.reasons) for b in result.bad] == [
        (3, [f"raden: Raden har 2 fält men rubrikraden har {len(HEADER)}."])
    ]


def test_the_same_row_in_a_file_with_other_columns_is_already_imported(reception):
    run(reception, [OPEN])
    header = [name for name in HEADER if name != "skyddsbedomning_atgard"]

    again = check(reception, [OPEN], header=header)

    assert [(b.line, b.reasons) for b in again.bad] == [(2, ["raden: Raden är redan importerad."])]


def test_a_duplicate_row_in_the_file_names_the_first(reception):
    result = check(reception, [DECIDED, OPEN, DECIDED])

    assert [(b.line, b.reasons) for b in result.bad] == [
        (4, ["raden: Raden är en dubblett av rad 2."])
    ]


def test_opening_a_second_investigation_while_one_is_ongoing_is_refused(reception):
    ongoing = {
        **INVESTIGATED,
        "utredning_avslutad": "",
        "utredning_beslut": "",
        "utredning_motivering": "",
    }
    second = {
        **ongoing,
        "mottagen": "2026-02-02 10:00",
        "skyddsbedomning_tid": "2026-02-02 11:00",
        "forhandsbedomning_datum": "2026-02-03",
    }

    result = check(reception, [ongoing, second])

    assert [(b.line, b.reasons) for b in result.bad] == [
        (
            3,
            [
                "forhandsbedomning_beslut: Barnet är redan under utredning: koppla anmälan till "
                "den pågående utredningen."
            ],
        )
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "Filen är tom."),
        (
            "mottagen;kanal\n".encode("latin-1"),
            "Obligatoriska kolumner saknas: anmalare, oro, beskrivning.",
        ),
        (
            b"mottagen;kanal;anmalare;oro;beskrivning;fax\n",
            "Okända kolumner: fax.",
        ),
        (
            b"mottagen;kanal;anmalare;oro;beskrivning\n",
            "Filen innehåller inga rader under rubrikraden.",
        ),
        (
            "mottagen;kanal;anmalare;oro;beskrivning\n"
            "2026-01-08 10:00;telefon;skola;annat;Öga\n".encode("latin-1"),
            "Filen är inte sparad som UTF-8. Spara den som CSV UTF-8 och försök igen.",
        ),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(reception, data, reason):
    result = importing.check_file(data, reception.reception, now=NOW)

    assert [b.reasons for b in result.bad] == [[reason]]
    assert not result.ok
