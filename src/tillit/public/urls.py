from django.urls import path

from tillit.public import officer, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("jamforaren/", views.providers, name="providers"),
    path("jamforaren/anordnare/<int:provider_id>/", views.provider, name="provider"),
    path("jamforaren/jamfor/", views.compare, name="compare"),
    path("jamforaren/valj/<int:area_id>/<int:provider_id>/", views.ask, name="ask"),
    path("jamforaren/valj/kvitto/<uuid:key>/", views.ask_receipt, name="ask_receipt"),
    path("orosanmalan/", views.concern, name="concern"),
    path("orosanmalan/kvitto/<uuid:key>/", views.concern_receipt, name="concern_receipt"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("tillganglighet/rapportera/", views.defect, name="defect"),
    path("kundval/valforfragningar/", officer.queue, name="officer_queue"),
    path("kundval/valforfragningar/<int:request_id>/", officer.detail, name="officer_request"),
]
