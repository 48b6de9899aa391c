"""Checks on uploaded documents, shared by every page that takes files.

The type is recognised from the file's first bytes: the browser's claimed type and the file
name are not trusted. Size and accepted types come from TILLIT_ATTACHMENT_MAX_MB and
TILLIT_ATTACHMENT_TYPES (docs/settings.md).
"""

from __future__ import annotations

import codecs

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# The first bytes of each accepted binary type.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


HEAD_BYTES = 2048
# The file-name columns hold 200 characters (with the upload folder's prefix within 255).
MAX_NAME = 150
MAX_EXTENSION = 10


def sniff(upload: UploadedFile) -> str:
    """The file's real type from its first bytes."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    for content_type, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return content_type
    # The first 2,048 bytes may end inside a multi-byte character (å is two bytes): a cut
    # sequence at the end is fine unless the file ends there too.
    whole = len(head) < HEAD_BYTES or upload.size == len(head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain" if b"\x00" not in head else "application/octet-stream"


def upload_problem(upload: UploadedFile) -> str | None:
    """A Swedish sentence saying why the file is refused, or None when it is accepted."""
    limit_mb = settings.TILLIT_ATTACHMENT_MAX_MB
    if upload.size is None or upload.size > limit_mb * 1024 * 1024:
        return _("%(name)s är större än %(mb)s MB.") % {"name": upload.name, "mb": limit_mb}
    if upload.size == 0:
        return _("%(name)s är tom.") % {"name": upload.name}
    name = upload.name or ""
    _stem, dot, extension = name.rpartition(".")
    if len(name) > MAX_NAME or (dot and len(extension) > MAX_EXTENSION):
        # Storage could not shorten such a name to its column and answered a bare 400.
        return _(
            "Filnamnet är för långt: högst %(name)s tecken och en filändelse på högst "
            "%(extension)s tecken, till exempel brev.pdf."
        ) % {"name": MAX_NAME, "extension": MAX_EXTENSION}
    if sniff(upload) not in settings.TILLIT_ATTACHMENT_TYPES:
        return _("%(name)s är inte en tillåten filtyp.") % {"name": upload.name}
    return None
