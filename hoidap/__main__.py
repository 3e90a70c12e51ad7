"""``python -m hoidap`` runs the command line."""

from hoidap.cli import main

main()
