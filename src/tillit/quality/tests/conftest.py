from tillit.children.tests.conftest import reception  # noqa: F401 - the fixture, shared
