"""The child-and-family reception world, shared with the API tests."""

from tillit.children.tests.conftest import reception  # noqa: F401 - a fixture
