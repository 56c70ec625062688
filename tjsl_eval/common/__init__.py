"""What every layer uses: problems with their place in the input, files written atomically and
hashed, zip-based Office files made reproducible, the run's cache files, and the languages (labels, Rupiah, dates)."""
