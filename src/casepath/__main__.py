"""`python -m casepath`: the same as the `casepath` command."""

from casepath.cli import run

run()
