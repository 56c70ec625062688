"""Every limit that bounds what an input may cost (memory, time, disk), in one documented place.

Each limit is picked so that a real review of 1,000 groups passes with room to spare; an input over a
limit is refused with a message that names the file (and sheet, row, column where there is one) and the
limit. docs/trust.md lists them with what they protect against.
"""

# --- Workbooks: spreadsheet files and CSV folders (inputs/readers.py, inputs/cell_marks.py) ---

# --- Photos, params files and reference documents (inputs/photos.py, inputs/params.py, render/office.py) ---

# --- Archives and review folders (batch/archive.py, batch/verify.py, batch/rerun.py) ---
