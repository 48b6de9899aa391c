"""The public front page offers every e-service, the complaint e-service included."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_front_page_links_every_public_e_service(world):
    page = Client().get("/").content.decode()
    for name in ["public:providers", "incidents:complaint_public", "accounts:login"]:
        assert f'href="{reverse(name)}' in page, name
