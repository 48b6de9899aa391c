"""The service's own error pages: in the design, in both languages, with a way back."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

ENGLISH = {settings.LANGUAGE_COOKIE_NAME: "en"}


def _client(world, persona, language, **kwargs):
    client = Client(**kwargs)
    if persona is not None:
        client.force_login(world.people[persona])
    if language == "en":
        client.cookies.load(ENGLISH)
    return client


def _assert_page(response, status, heading, language):
    assert response.status_code == status
    body = response.content.decode()
    with translation.override(language):
        assert translation.gettext(heading) in body
        assert translation.gettext("Till startsidan") in body
    assert f'<html lang="{language}"' in body
    assert "govuk-template" in body  # the site's design, not Django's plain page
    assert "URLconf" not in body  # never the debug page


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_missing_page_answers_404_in_the_service_design(world, language):
    response = _client(world, "reception_worker", language).get("/finns-inte/")
    _assert_page(response, 404, "Sidan finns inte", language)
    assert ("Page not found" in response.content.decode()) is (language == "en")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_refused_page_answers_403_with_the_menu_and_a_way_back(world, language):
    response = _client(world, "director", language).get("/loggar/")
    _assert_page(response, 403, "Ingen behörighet", language)
    assert ("No access" in response.content.decode()) is (language == "en")
    assert 'aria-label="' in response.content.decode()  # the menu and user bar are there


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_bad_request_answers_400(world, language):
    client = _client(world, None, language, HTTP_HOST="angripare.example")
    _assert_page(client.get("/"), 400, "Felaktig begäran", language)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_form_without_csrf_token_answers_403_and_saves_nothing(world, language):
    client = _client(world, "reception_worker", language, enforce_csrf_checks=True)
    response = client.post("/barn-och-familj/anmalan/ny/", {"description": "x"})
    _assert_page(response, 403, "Formuläret kunde inte skickas", language)
    assert ("The form could not be sent" in response.content.decode()) is (language == "en")
    assert "Inloggad som" in response.content.decode() or language == "en"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_server_error_answers_500_without_touching_the_database(
    world, language, django_assert_num_queries
):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    _assert_page(response, 500, "Tekniskt fel", language)


def test_the_demo_runs_with_debug_off_and_serves_its_own_static_files():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TILLIT_SECURE"}
    }
    env.update(TILLIT_DEMO="1", DJANGO_SETTINGS_MODULE="tillit.settings")
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE, sorted(s.ALLOWED_HOSTS), s.WHITENOISE_USE_FINDERS,"
        " s.STORAGES['staticfiles']['BACKEND'])"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "False",
        "False",
        "['127.0.0.1',",
        "'localhost']",
        "True",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
    ]


def test_static_files_are_served_with_debug_off(client):
    assert settings.DEBUG is False
    response = client.get("/static/tillit/tillit.css")
    assert response.status_code == 200
