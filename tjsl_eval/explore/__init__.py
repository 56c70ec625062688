"""The interactive review explorer (ipywidgets, served by Voila): above the batch, as its
report button runs it."""
