from django.urls import path
from django.views.generic import RedirectView

from tillit.children import figures_views, views, workbench_views

app_name = "children"
urlpatterns = [
    path("anmalan/ny/", views.register_report, name="register"),
    path("anmalan/<int:report_id>/", views.report_detail, name="report"),
    path("bilaga/<int:attachment_id>/", views.attachment, name="attachment"),
    path("barn/<int:track_id>/", views.track_detail, name="track"),
    path("barn/<int:track_id>/skyddsbedomning/", views.protective_assessment, name="protective"),
    path("barn/<int:track_id>/riskbedomning/", views.risk_assessment, name="risk"),
    path("barn/<int:track_id>/forhandsbedomning/", views.initial_assessment, name="initial"),
    path("barn/<int:track_id>/forlangning/", views.extend_initial, name="extend_initial"),
    path("utredning/<int:investigation_id>/", views.investigation_detail, name="investigation"),
    path(
        "utredning/<int:investigation_id>/forlangning/",
        views.extend_investigation,
        name="extend_investigation",
    ),
    path(
        "utredning/<int:investigation_id>/avslut/",
        views.close_investigation,
        name="close_investigation",
    ),
    path("utredning/<int:investigation_id>/insats/", views.add_intervention, name="intervention"),
    # Reminder e-mails sent before the one reminders page (deadlines) link here.
    path("paminnelser/", RedirectView.as_view(pattern_name="deadlines:reminders")),
    path("uppfoljning/<int:follow_up_id>/", views.complete_follow_up, name="follow_up"),
    path("import/", views.import_reports, name="import"),
    path("import/<int:import_id>/", views.import_detail, name="import_detail"),
    path("import/<int:import_id>/starta/", views.import_start, name="import_start"),
]

urlpatterns += [
    path("nyckeltal/", figures_views.page, name="figures"),
    path("nyckeltal/csv/", figures_views.download_csv, name="figures_csv"),
    path("nyckeltal/excel/", figures_views.download_xlsx, name="figures_xlsx"),
    path("arbetsyta/", workbench_views.mine, name="workbench"),
    path("arbetsyta/grupp/", workbench_views.group, name="workbench_group"),
    path("arbetsyta/overskridna/", workbench_views.breaches, name="workbench_breaches"),
    path(
        "arbetsyta/<int:deadline_id>/omfordela/",
        workbench_views.reassign,
        name="workbench_reassign",
    ),
]
