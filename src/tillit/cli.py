"""The `tillit` command: Django's management commands plus `tillit demo`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        os.environ.setdefault("TILLIT_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
