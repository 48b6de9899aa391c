"""Every refusal the API can give is documented, with the one shape it has (tillit.api_errors)."""

import pytest

from tillit.api_errors import refusals


@pytest.fixture
def document(client):
    return client.get("/api/openapi.json").json()


def _operations(document):
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_documents_its_refusals(document):
    operations = _operations(document)
    assert len(operations) >= 12
    for path, method, operation in operations:
        documented = set(operation["responses"])
        expected = {"401", "403", "422", "429"}
        if "{" in path:
            expected.add("404")
        if method == "post":
            expected.add("413")
        assert expected <= documented, (method, path, expected - documented)
    report = document["paths"]["/api/reports"]["post"]["responses"]
    assert "409" in report


def test_each_refusal_names_a_schema_that_exists(document):
    schemas = document["components"]["schemas"]
    for _path, _method, operation in _operations(document):
        for code, answer in operation["responses"].items():
            if code.startswith("2"):
                continue
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in schemas
    assert schemas["ErrorOut"]["required"] == ["detail"]


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/units", "get", [401, 403, 422, 429]),
        ("/api/tracks/{track_id}", "get", [401, 403, 404, 422, 429]),
        ("/api/kundval/performance", "post", [401, 403, 413, 422, 429]),
        ("/api/reports", "post", [401, 403, 409, 413, 422, 429]),
    ],
)
def test_the_refusals_follow_from_path_and_method(path, method, codes):
    assert refusals(path, method) == codes


def test_a_missing_token_answers_in_the_documented_shape(client):
    answer = client.get("/api/units")
    assert answer.status_code == 401
    assert isinstance(answer.json()["detail"], str)
