from django.urls import path

from tillit.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enheter/<int:unit_id>/", views.unit_detail, name="unit"),
    path("personal/<int:user_id>/", views.staff_detail, name="staff"),
]
