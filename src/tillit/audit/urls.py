from django.urls import path

from tillit.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.review, name="review"),
    path("export.csv", views.review_export, {"kind": "csv"}, name="review_csv"),
    path("export.xlsx", views.review_export, {"kind": "xlsx"}, name="review_xlsx"),
]
