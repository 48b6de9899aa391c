from django.urls import path

from tillit.individuals import views

app_name = "individuals"
urlpatterns = [
    path("", views.search, name="search"),
    path("ny/", views.register, name="register"),
    path("<int:individual_id>/", views.detail, name="detail"),
    path("<int:individual_id>/historik/", views.history, name="history"),
]
