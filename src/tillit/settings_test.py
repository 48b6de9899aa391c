"""Settings for the test suite: production settings with test-only values filled in."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-key-not-a-secret")
os.environ.setdefault("TILLIT_SECURE", "false")
os.environ.setdefault("TILLIT_REQUIRE_2FA", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from tillit.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Attachments written by tests land in a throwaway folder, never in the working tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tillit-test-files-"))
# Checkpoints of the access log likewise.
TILLIT_AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="tillit-test-checkpoints-"))
# One process: a local cache, emptied before each test (tillit.conftest).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
