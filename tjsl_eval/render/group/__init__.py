"""A group's evaluation report, one module per chapter; :mod:`tjsl_eval.render.report` puts them together."""
