"""Every limit that bounds what an input may cost (memory, time, disk), in one documented place.

Each limit is picked so that a real review of 1,000 groups passes with room to spare; an input over a
limit is refused with a message that names the file (and sheet, row, column where there is one) and the
limit. docs/trust.md lists them with what they protect against.
"""

# --- Workbooks: spreadsheet files and CSV folders (inputs/readers.py, inputs/packages.py, inputs/cell_marks.py) ---
# What a synthetic review of 1,000 groups over three years needs (`tjsl-eval sample --groups 1000`): a 6.4 MB
# .xlsx whose largest part (the sheet survei_ikm) is 42 MB of XML compressed 12 times, 1.1 million cells in that
# sheet (92,573 rows by 12 columns). docs/trust.md gives what each limit costs at its value.

WORKBOOK_FILE_BYTES = 256 << 20  # a spreadsheet file or one .csv file, on disk (1,000 groups: 6.4 MB)
WORKBOOK_PART_BYTES = 512 << 20  # one part of an .xlsx/.ods zip, uncompressed (1,000 groups: 42 MB)
WORKBOOK_TOTAL_BYTES = 1024 << 20  # every part of an .xlsx/.ods zip together, uncompressed (1,000 groups: 75 MB)
WORKBOOK_RATIO = 200  # uncompressed size / compressed size of a part (real sheets: 5–20)
WORKBOOK_RATIO_FROM_BYTES = 1 << 20  # parts smaller than this, uncompressed, may have any ratio
WORKBOOK_SMALL_PART_BYTES = 32 << 20  # a workbook's own description (workbook.xml, relationships, styles)
SHEET_CELLS = 10_000_000  # rows × columns from A1 to the farthest cell holding a value (1,000 groups: 1.1 million)

# --- Photos, params files and reference documents (inputs/photos.py, inputs/params.py, render/office.py) ---

# --- Archives and review folders (batch/archive.py, batch/verify.py, batch/rerun.py) ---
