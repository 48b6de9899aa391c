from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tillit.api.api import api

urlpatterns = [
    path("", include("tillit.front.urls")),
    path("konto/", include("tillit.accounts.urls")),
    path("organisation/", include("tillit.directory.organisation_urls")),
    path("personer/", include("tillit.directory.person_urls")),
    path("barn-och-familj/", include("tillit.children.urls")),
    path("", include("tillit.deadlines.urls")),
    path("behorighet/", include("tillit.access.urls")),
    path("loggar/", include("tillit.access.log_review_urls")),
    path("kundval/", include("tillit.kundval.urls")),  # kundval (issue 4)
    path("kvalitetsarbete/", include("tillit.orgwork.urls")),  # issue 16
    path("", include("tillit.incidents.urls")),  # issue 13, part B
    path("kvalitet/", include("tillit.quality.urls")),  # issue 13
    path("mal/", include("tillit.goals.urls")),  # goals and comparison (issue 15)
    path("brukarundersokningar/", include("tillit.surveys.urls")),  # survey import (issue 14)
    path("", include("tillit.public.urls")),  # the public side (issue 14)
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("konto/oidc/", include("mozilla_django_oidc.urls")))
