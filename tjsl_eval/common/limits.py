"""Every limit that bounds what an input may cost (memory, time, disk), in one documented place.

Each limit is picked so that a real review of 1,000 groups passes with room to spare; an input over a
limit is refused with a message that names the file (and sheet, row, column where there is one) and the
limit. docs/trust.md lists them with what they protect against.
"""

# --- Workbooks: spreadsheet files and CSV folders (inputs/readers.py, inputs/cell_marks.py) ---

# --- Photos, params files and reference documents (inputs/photos.py, inputs/params.py, render/office.py) ---

# --- Archives and review folders (batch/archive.py, batch/verify.py, batch/rerun.py) ---
# A review of 1,000 groups in every format, with 20 photos a group, holds about 26,000 entries and 5-10 GB.
ARCHIVE_ENTRIES = 200_000  # entries in a review archive
ARCHIVE_ENTRY_BYTES = 4 * 1024**3  # uncompressed size of one entry (a report, a photo, the workbook)
ARCHIVE_TOTAL_BYTES = 64 * 1024**3  # uncompressed size of all entries together
ARCHIVE_RATIO = 200  # uncompressed / compressed size of one entry (HTML and CSV: 5-20; photos, PDF: ~1)
ARCHIVE_RATIO_FROM = 1024**2  # ... checked for entries larger than this (a tiny file of one repeated byte is fine)
MANIFEST_BYTES = 256 * 1024**2  # manifest.json (about 1 MB for 1,000 groups)
JSON_DEPTH = 32  # nesting of objects and lists in manifest.json (it uses 4)
