from django.urls import path

from tillit.front import views

app_name = "front"
urlpatterns = [path("start/", views.start, name="start")]
