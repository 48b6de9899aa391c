"""Recognising an upload's type from its first bytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tillit.uploads import HEAD_BYTES, sniff, upload_problem


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # "å" (two bytes) across byte 2,048: still text.
        (b"a" * (HEAD_BYTES - 1) + "å".encode() + b" mer text", "text/plain"),
        # "€" (three bytes) starting two bytes before the end of the head.
        (b"a" * (HEAD_BYTES - 2) + "€ och mer".encode(), "text/plain"),
        ("åäö".encode() * 10, "text/plain"),
        # A file that really ends in half a character is not text.
        (b"a" * 10 + "å".encode()[:1], "application/octet-stream"),
        (b"a" * (HEAD_BYTES - 1) + "å".encode()[:1], "application/octet-stream"),
        (b"\xff\xfe binary", "application/octet-stream"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_the_type_is_read_from_the_first_bytes(content, expected):
    assert sniff(SimpleUploadedFile("fil.txt", content)) == expected


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("brev." + "x" * 150, True),
        ("x" * 151 + ".pdf", True),
        ("brev.pdf", False),
        ("x" * 146 + ".pdf", False),
        ("utan-filandelse", False),
    ],
)
def test_a_name_storage_cannot_hold_is_refused_with_a_form_error(name, refused):
    problem = upload_problem(SimpleUploadedFile(name, b"%PDF-1.7\n"))
    if refused:
        assert problem is not None
        assert "Filnamnet är för långt" in problem
    else:
        assert problem is None
