from django.urls import path

from tillit.access import log_review_views as views

# The namespace stays "audit": these are the audit log's pages (tillit.access.log_review_views).
app_name = "audit"
urlpatterns = [
    path("", views.review, name="review"),
    path("export.csv", views.review_export, {"kind": "csv"}, name="review_csv"),
    path("export.xlsx", views.review_export, {"kind": "xlsx"}, name="review_xlsx"),
]
