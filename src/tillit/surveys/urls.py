from django.urls import path

from tillit.surveys import views

app_name = "surveys"
urlpatterns = [
    path("import/", views.import_page, name="import"),
    path(
        "personalkontinuitet/import/",
        views.import_continuity_page,
        name="import_continuity",
    ),
]
