"""`python -m perfrules …` runs the `perfrules` command: the same arguments, output and exit codes."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
