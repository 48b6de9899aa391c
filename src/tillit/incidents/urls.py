from django.urls import path

from tillit.incidents.views import analysis, complaints, deviations, followups, lexsarah, public

app_name = "incidents"
urlpatterns = [
    path("avvikelser/", deviations.deviations, name="deviations"),
    path("avvikelser/ny/", deviations.deviation_new, name="deviation_new"),
    path("avvikelser/<int:deviation_id>/", deviations.deviation, name="deviation"),
    path("avvikelser/analys/", analysis.analysis, name="analysis"),
    path("avvikelser/analys.xlsx", analysis.analysis_xlsx, name="analysis_xlsx"),
    path("klagomal/", complaints.complaints, name="complaints"),
    path("klagomal/ny/", complaints.complaint_new, name="complaint_new"),
    path("klagomal/<int:complaint_id>/", complaints.complaint, name="complaint"),
    path("lex-sarah/", lexsarah.lexsarah_list, name="lexsarah_list"),
    path("lex-sarah/ny/", lexsarah.lexsarah_new, name="lexsarah_new"),
    path("lex-sarah/<int:case_id>/", lexsarah.lexsarah, name="lexsarah"),
    path("lex-sarah/<int:case_id>/ivo.pdf", lexsarah.lexsarah_ivo_pdf, name="lexsarah_ivo_pdf"),
    path("uppfoljning/", followups.follow_ups, name="follow_ups"),
    path("uppfoljning/<int:follow_up_id>/", followups.follow_up, name="follow_up"),
    path(
        "uppfoljning/<int:follow_up_id>/rapport.pdf", followups.follow_up_pdf, name="follow_up_pdf"
    ),
    path("uppfoljning/punkter/<int:point_id>/", followups.point, name="point"),
    path(
        "uppfoljning/underlag/<int:document_id>/", followups.point_document, name="point_document"
    ),
    # The public e-service (no login): the form, the receipt and the status link.
    path("synpunkter/", public.complaint_public, name="complaint_public"),
    path(
        "synpunkter/mottagen/<int:complaint_id>/<str:token>/",
        public.complaint_receipt,
        name="complaint_receipt",
    ),
    path(
        "synpunkter/status/<int:complaint_id>/<str:token>/",
        public.complaint_status,
        name="complaint_status",
    ),
]
