"""The person register's pages, under /personer/ (URL names `individuals:…`)."""

from django.urls import path

from tillit.directory import person_views as views

app_name = "individuals"
urlpatterns = [
    path("", views.search, name="search"),
    path("ny/", views.register, name="register"),
    path("<int:individual_id>/", views.detail, name="detail"),
    path("<int:individual_id>/historik/", views.history, name="history"),
    path(
        "<int:individual_id>/arende/<int:case_id>/historik/",
        views.case_history,
        name="case_history",
    ),
]
