app_name = "orgwork"
urlpatterns: list = []
