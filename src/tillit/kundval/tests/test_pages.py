"""The kundval pages through real requests: officers, provider staff, files, and the log."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tillit.access.policy import Basis
from tillit.audit.models import AccessAction, AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import (
    ApplicationStatus,
    Authorisation,
    CompensationModel,
    PaymentLine,
    PaymentRun,
    PerformanceReport,
    PriceList,
    ProviderProfile,
    RunStatus,
    Voucher,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider


@pytest.fixture
def kv(world):
    ids = f.matrix_objects(world)
    return world, ids


def test_a_price_list_with_a_gap_is_refused_on_the_page_and_nothing_is_saved(kv):
    world, ids = kv
    url = reverse("kundval:price_list_new", kwargs={"area_id": ids["area_id"]})
    client = world.client("kundval_officer")
    # The area's list runs from 2020-01-01 open-ended: any new list overlaps it.
    response = client.post(url, {"valid_from": "2030-01-01", "amount": "450,00"})
    assert response.status_code == 200
    assert "Perioderna överlappar" in response.content.decode()
    assert PriceList.objects.filter(area_id=ids["area_id"]).count() == 1


def test_an_index_change_on_the_page_replaces_the_list(kv):
    world, ids = kv
    url = reverse("kundval:index_change", kwargs={"area_id": ids["area_id"]})
    response = world.client("kundval_officer").post(
        url, {"percent": "2,5", "effective_from": "2024-01-01"}
    )
    assert response.status_code == 302
    current = PriceList.objects.current().filter(area_id=ids["area_id"]).order_by("valid_from")
    # 441 × 1.025 = 452.025 → 452.03
    assert [p.rates.get().amount for p in current] == [Decimal("441.00"), Decimal("452.03")]


def test_an_officer_registers_reviews_and_approves_an_application_on_the_page(kv):
    from tillit.kundval.actions.authorisation import publish_terms
    from tillit.kundval.models import AuthorisationApplication, KundvalArea

    world, ids = kv
    matrix_area = KundvalArea.objects.get(pk=ids["area_id"])
    # An area of its own: the matrix area's terms already had an application reviewed under
    # them, so they can no longer be replaced from an earlier day.
    area, _district = f.area(
        f.place(matrix_area.municipality, matrix_area.unit), CompensationModel.GRANTED_HOUR
    )
    publish_terms(
        municipality=area.municipality,
        area=area,
        title="Område med checklista",
        valid_from=dt.date(2020, 1, 1),
        text="Villkor för området.",
        checklist="Tillstånd från IVO",
        by=TEST_ACTOR,
    )
    client = world.client("kundval_officer")
    response = client.post(
        reverse("kundval:application_new"),
        {
            "name": "Ny omsorg AB",
            "organisation_number": f.orgnr(),
            "contact_name": "Alex",
            "email": "alex@example.invalid",
            "areas": [area.pk],
            "districts": [area.districts.get().pk],
            "capacity": "25",
        },
    )
    assert response.status_code == 302
    application = AuthorisationApplication.objects.get(name="Ny omsorg AB")
    url = reverse("kundval:application", kwargs={"application_id": application.pk})
    refused = client.post(url, {"approve": "1", "contract_from": "2026-01-01"})
    assert "Ej uppfyllt: Tillstånd från IVO" in refused.content.decode()
    assert not Authorisation.objects.filter(application=application).exists()
    [item] = application.review_items.all()
    client.post(url, {"review": "1", f"fulfilled_{item.pk}": "on", f"note_{item.pk}": "Sett"})
    assert client.post(url, {"approve": "1", "contract_from": "2026-01-01"}).status_code == 302
    authorisation = Authorisation.objects.get(application=application)
    assert (authorisation.provider.name, authorisation.capacity) == ("Ny omsorg AB", 25)


@pytest.mark.parametrize("step", ["review", "approve", "refuse"])
def test_a_step_on_an_application_already_decided_is_refused_on_top_of_the_page(kv, step):
    # Saving the review of an application another officer had decided put the refusal on the
    # unbound approval form: AttributeError, a server error (found by fuzzing). Approving or
    # refusing it again put the refusal on a form the decided page does not show.
    world, ids = kv
    url = reverse("kundval:application", kwargs={"application_id": ids["application_id"]})
    client = world.client("kundval_officer")
    assert client.post(url, {"refuse": "1", "reasons": "Saknar tillstånd."}).status_code == 302
    response = client.post(
        url, {step: "1", "contract_from": "2026-01-01", "reasons": "Igen.", "note_1": "Sett"}
    )
    assert response.status_code == 200
    assert "Ansökan är redan avgjord." in response.content.decode()


def test_a_refusal_without_reasons_shows_the_error_next_to_the_field(kv):
    world, ids = kv
    url = reverse("kundval:application", kwargs={"application_id": ids["application_id"]})
    response = world.client("kundval_officer").post(url, {"refuse": "1", "reasons": ""})
    assert "Fältet måste fyllas i." in response.content.decode()
    from tillit.kundval.models import AuthorisationApplication

    assert (
        AuthorisationApplication.objects.get(pk=ids["application_id"]).status
        == ApplicationStatus.SUBMITTED
    )


def test_a_choice_of_an_unauthorised_provider_is_refused_on_the_page(kv):
    world, ids = kv
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    stranger = f.provider("Okänd AB")
    # Authorised for the area but in no district of the customer: not offered at all.
    f.authorise(stranger, voucher.area, [])
    url = reverse("kundval:choose", kwargs={"voucher_id": voucher.pk})
    response = world.client("kundval_officer").post(
        url, {"provider": stranger.pk, "chosen_on": "2026-01-01", "wanted_from": "2026-01-01"}
    )
    assert response.status_code == 200
    assert voucher.choices.count() == 1


def test_provider_staff_see_only_their_own_customers_and_reads_are_logged(kv):
    world, ids = kv
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    other = f.provider("Annan AB")
    f.authorise(other, voucher.area, list(voucher.area.districts.all()))
    theirs = f.voucher(voucher.area, voucher.decision.district, dt.date(2020, 1, 1), hours="5")
    choose_provider(
        voucher=theirs,
        provider=other,
        chosen_on=dt.date(2020, 1, 1),
        wanted_from=dt.date(2020, 1, 1),
        by=TEST_ACTOR,
    )
    client = world.client("provider_staff")
    page = client.get(reverse("kundval:portal")).content.decode()
    assert voucher.individual.first_name in page
    assert theirs.individual.first_name not in page
    assert (
        client.get(reverse("kundval:voucher", kwargs={"voucher_id": theirs.pk})).status_code == 404
    )
    user = world.people["provider_staff"]
    assert AccessLog.objects.filter(
        actor=user, individual=voucher.individual, basis=Basis.VOUCHER, action=AccessAction.LIST
    ).exists()
    assert AccessLog.objects.filter(
        actor=user, individual=theirs.individual, action=AccessAction.DENIED
    ).exists()


def _upload(client, text, dry_run):
    data = {"upload": "1", "file": SimpleUploadedFile("rader.csv", text.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("kundval:portal_report"), data)


def test_a_file_dry_run_lists_every_bad_row_and_the_real_upload_is_all_or_nothing(kv):
    world, ids = kv
    client = world.client("provider_staff")
    today = timezone.localdate()
    good = (today - dt.timedelta(days=1)).isoformat()
    text = (
        "check;datum;minuter;besok;narvaro;start;slut;rattar\n"
        f"{ids['voucher_id']};{good};60;1;;08:00;09:00;\n"
        f"{ids['voucher_id']};{good};30;1;;08:30;09:00;\n"
        f"999999;{good};30;1;;;;\n"
        f"{ids['voucher_id']};inte-ett-datum;30;;;;;\n"
    )
    dry = _upload(client, text, dry_run=True).content.decode()
    assert "3 rader har fel" in dry
    assert "Rad 2: Besöket överlappar" in dry
    assert "Rad 3: Kunden har ingen check hos er" in dry
    assert "Rad 4: Datumet ska skrivas ÅÅÅÅ-MM-DD." in dry
    real = _upload(client, text, dry_run=False).content.decode()
    assert "inget sparades" in real
    assert not PerformanceReport.objects.exists()
    fine = "check;datum;minuter;besok;narvaro;start;slut;rattar\n" + (
        f"{ids['voucher_id']};{good};60;1;;08:00;09:00;\n"
    )
    assert "utan fel" in _upload(client, fine, dry_run=True).content.decode()
    assert not PerformanceReport.objects.exists()
    assert _upload(client, fine, dry_run=False).status_code == 302
    assert PerformanceReport.objects.get().minutes == 60


def test_a_wrong_header_is_refused(kv):
    world, _ids = kv
    page = _upload(world.client("provider_staff"), "a;b\n1;2\n", dry_run=True).content.decode()
    assert "Rubrikraden ska vara" in page


def test_provider_staff_keep_their_presentation(kv):
    world, ids = kv
    response = world.client("provider_staff").post(
        reverse("kundval:portal_profile"),
        {
            "description": "Vi talar finska.",
            "languages": "svenska, finska",
            "website": "omsorg.se",
            "version": "1",
        },
    )
    assert response.status_code == 302
    profile = ProviderProfile.objects.get(provider_id=ids["provider_id"])
    assert (profile.languages, profile.website) == ("svenska, finska", "https://omsorg.se")


def test_a_stale_presentation_page_cannot_overwrite_a_newer_save(kv):
    world, ids = kv
    url = reverse("kundval:portal_profile")
    first, second = world.client("provider_staff"), world.client("provider_staff")
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, {"languages": "svenska, finska", "version": "1"}).status_code == 302
    response = second.post(url, {"languages": "svenska, arabiska", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar sedan du öppnade sidan" in page
    assert "svenska, finska" in page
    assert 'name="version" value="2"' in page
    profile = ProviderProfile.objects.get(provider_id=ids["provider_id"])
    assert (profile.languages, profile.version) == ("svenska, finska", 2)


def test_the_run_page_closes_the_month_and_the_files_match_the_lines(kv):
    world, ids = kv
    client = world.client("kundval_officer")
    run = PaymentRun.objects.get(pk=ids["run_id"])
    lines = list(PaymentLine.objects.filter(run=run))
    total = sum(line.amount for line in lines)
    assert total > 0
    xlsx = client.get(
        reverse("kundval:basis_xlsx", kwargs={"run_id": run.pk, "provider_id": ids["provider_id"]})
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Summa"]
    assert Decimal(str(values[0][9])) == total
    pdf = client.get(
        reverse("kundval:basis_pdf", kwargs={"run_id": run.pk, "provider_id": ids["provider_id"]})
    )
    assert pdf.content.startswith(b"%PDF")
    finance = client.get(reverse("kundval:finance_csv", kwargs={"run_id": run.pk}))
    rows = list(csv.reader(io.StringIO(finance.content.decode()), delimiter=";"))
    assert rows[0][:4] == ["manad", "organisationsnummer", "anordnare", "betalning"]
    provider = Provider.objects.get(pk=ids["provider_id"])
    assert rows[1][1:4] == [provider.organisation_number, provider.name, "utbetalning"]
    assert Decimal(rows[1][6]) == total
    assert (
        AccessLog.objects.filter(
            actor=world.people["kundval_officer"], action=AccessAction.EXPORT
        ).count()
        == 2
    )
    response = client.post(reverse("kundval:run_close", kwargs={"run_id": run.pk}))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED


def test_another_providers_basis_is_not_found(kv):
    world, ids = kv
    other = f.provider("Annan AB")
    url = reverse("kundval:basis", kwargs={"run_id": ids["run_id"], "provider_id": other.pk})
    assert world.client("provider_staff").get(url).status_code == 404


def test_the_officer_sees_why_the_default_provider_cannot_take_a_new_voucher(kv):
    from tillit.kundval.models import Decision, KundvalArea

    world, ids = kv
    area = KundvalArea.objects.get(pk=ids["area_id"])
    default = f.provider("Kommunens hemtjänst", municipal=True)
    area.default_provider = default
    area.save(update_fields=["default_provider"])
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    decisions = Decision.objects.count()
    response = world.client("kundval_officer").post(
        reverse("kundval:decision_new"),
        {
            "personal_number": voucher.individual.personal_number,
            "area": area.pk,
            "district": voucher.decision.district_id,
            "valid_from": "2026-01-01",
            "decided_on": "2025-12-20",
            "hours_per_month": "10",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Ickevalsalternativet Kommunens hemtjänst är inte auktoriserat för" in page
    assert Decision.objects.count() == decisions
