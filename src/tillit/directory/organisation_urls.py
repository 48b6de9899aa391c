"""The organisation's pages, under /organisation/ (URL names `organisation:…`)."""

from django.urls import path

from tillit.directory import organisation_views as views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enheter/<int:unit_id>/", views.unit_detail, name="unit"),
    path("personal/<int:user_id>/", views.staff_detail, name="staff"),
]
