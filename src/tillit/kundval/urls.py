from django.urls import path

from tillit.kundval.views import apply, areas, officer, payments, portal

app_name = "kundval"
urlpatterns = [
    path("", officer.home, name="home"),
    path("omraden/ny/", areas.area_new, name="area_new"),
    path("omraden/<int:area_id>/", officer.area, name="area"),
    path("omraden/<int:area_id>/andra/", areas.area_edit, name="area_edit"),
    path("omraden/<int:area_id>/distrikt/", areas.districts, name="districts"),
    path("omraden/<int:area_id>/distrikt/ny/", areas.district_new, name="district_new"),
    path("omraden/<int:area_id>/distrikt/koppla/", areas.district_link, name="district_link"),
    path("omraden/<int:area_id>/distrikt/<int:district_id>/", areas.district, name="district"),
    path(
        "omraden/<int:area_id>/distrikt/<int:district_id>/ta-bort/",
        areas.district_remove,
        name="district_remove",
    ),
    path("omraden/<int:area_id>/villkor/", areas.area_terms, name="area_terms"),
    path("omraden/<int:area_id>/villkor/ny/", areas.area_terms_new, name="area_terms_new"),
    path("villkor/", areas.terms, name="terms"),
    path("villkor/ny/", areas.terms_new, name="terms_new"),
    path("villkor/<int:terms_id>/", areas.terms_version, name="terms_version"),
    path("villkor/<int:terms_id>/dokument/", areas.terms_document, name="terms_document"),
    path("omraden/<int:area_id>/prislista/", officer.price_list_new, name="price_list_new"),
    path("omraden/<int:area_id>/upprakning/", officer.index_change, name="index_change"),
    path("ansokningar/", officer.applications, name="applications"),
    path("ansokningar/ny/", officer.application_new, name="application_new"),
    path("ansokningar/<int:application_id>/", officer.application, name="application"),
    path(
        "ansokningar/bilagor/<int:document_id>/",
        apply.application_document,
        name="application_document",
    ),
    # The public e-service (no login): apply, read the terms, the receipt and the status link.
    path("ansok/", apply.apply, name="apply"),
    path("ansok/villkor/<int:terms_id>/", apply.terms, name="apply_terms"),
    path(
        "ansok/villkor/<int:terms_id>/dokument/",
        apply.terms_document,
        name="apply_terms_document",
    ),
    path("ansok/mottagen/<int:application_id>/<str:token>/", apply.receipt, name="apply_receipt"),
    path("ansok/status/<int:application_id>/<str:token>/", apply.status, name="apply_status"),
    path(
        "auktorisationer/<int:authorisation_id>/stopp/",
        officer.authorisation_stop,
        name="authorisation_stop",
    ),
    path(
        "auktorisationer/<int:authorisation_id>/brev/",
        officer.authorisation_letters,
        name="authorisation_letters",
    ),
    path("kunder/", officer.customers, name="customers"),
    path("beslut/nytt/", officer.decision_new, name="decision_new"),
    path("checkar/<int:voucher_id>/", officer.voucher, name="voucher"),
    path("checkar/<int:voucher_id>/val/", officer.choose, name="choose"),
    path("utbetalningar/", payments.runs, name="runs"),
    path("utbetalningar/ny/", payments.run_new, name="run_new"),
    path("utbetalningar/<int:run_id>/", payments.run, name="run"),
    path("utbetalningar/<int:run_id>/berakna/", payments.run_again, name="run_again"),
    path("utbetalningar/<int:run_id>/stang/", payments.run_close, name="run_close"),
    path("utbetalningar/<int:run_id>/ekonomi.csv", payments.finance_csv, name="finance_csv"),
    path(
        "utbetalningar/<int:run_id>/underlag/<int:provider_id>/",
        payments.basis,
        name="basis",
    ),
    path(
        "utbetalningar/<int:run_id>/underlag/<int:provider_id>.xlsx",
        payments.basis_xlsx,
        name="basis_xlsx",
    ),
    path(
        "utbetalningar/<int:run_id>/underlag/<int:provider_id>.pdf",
        payments.basis_pdf,
        name="basis_pdf",
    ),
    path("anordnare/", portal.portal, name="portal"),
    path("anordnare/rapportera/", portal.portal_report, name="portal_report"),
    path("anordnare/presentation/", portal.portal_profile, name="portal_profile"),
]
