"""A username too long for axes' column is cut, so a failed login never answers 500."""

from django.test import RequestFactory

from tillit.accounts.lockout import MAX_USERNAME, axes_username


def test_a_long_username_is_cut_to_what_an_account_can_have():
    request = RequestFactory().post("/konto/logga-in/", {"username": "x" * 1000})
    assert axes_username(request) == "x" * MAX_USERNAME
    assert axes_username(request, {"username": "anna"}) == "anna"
    assert axes_username(request, {}) == ""


def test_a_failed_login_with_a_very_long_username_answers_the_form(client, db):
    answer = client.post("/konto/logga-in/", {"username": "å" * 5000, "password": "fel"})
    assert answer.status_code in {200, 429}
