from django.urls import path

from tillit.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("egenkontroller/", views.plans, name="plans"),
    path("egenkontroller/ny/", views.plan_new, name="plan_new"),
    path("egenkontroller/<int:plan_id>/", views.plan, name="plan"),
    path("omgangar/<int:run_id>/", views.run, name="run"),
    path("omgangar/<int:run_id>/poster/<int:record_id>/", views.run_record, name="run_record"),
    path("atgardsplan/", views.deficiencies, name="deficiencies"),
    path("atgardsplan/ny-brist/", views.deficiency_new, name="deficiency_new"),
    path("atgardsplan/brister/<int:deficiency_id>/", views.deficiency, name="deficiency"),
    path(
        "atgardsplan/brister/<int:deficiency_id>/ny-atgard/",
        views.measure_new,
        name="measure_new",
    ),
    path("atgardsplan/atgarder/<int:measure_id>/", views.measure, name="measure"),
    path("namndrapporter/", views.board_reports, name="board_reports"),
    path("namndrapporter/<int:report_id>/", views.board_report, name="board_report"),
    path("namndrapporter/<int:report_id>/pdf/", views.board_report_pdf, name="board_report_pdf"),
    path(
        "namndrapporter/<int:report_id>/excel/", views.board_report_xlsx, name="board_report_xlsx"
    ),
    path("kvalitetsberattelser/", views.quality_reports, name="quality_reports"),
    path(
        "kvalitetsberattelser/<int:quality_report_id>/", views.quality_report, name="quality_report"
    ),
    path(
        "kvalitetsberattelser/<int:quality_report_id>/pdf/",
        views.quality_report_pdf,
        name="quality_report_pdf",
    ),
    path(
        "kvalitetsberattelser/<int:quality_report_id>/excel/",
        views.quality_report_xlsx,
        name="quality_report_xlsx",
    ),
    path("processer/", views.processes, name="processes"),
    path("processer/<int:process_id>/handbok/", views.handbook_pdf, name="handbook_pdf"),
    path("processer/<int:process_id>/ny-rutin/", views.routine_new, name="routine_new"),
    path("rutiner/<int:routine_id>/", views.routine, name="routine"),
]
