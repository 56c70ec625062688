"""``python -m tjsl_eval`` runs the command line."""

from tjsl_eval.cli import main

main()
