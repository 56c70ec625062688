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
LIMITS_PAGE = "docs/trust.md"  # where the limits are listed; named in every message that refuses an input over one
MAX_PHOTO_BYTES = 50_000_000  # a photo file; a phone's JPEG is 2–12 MB, a 24-megapixel PNG about 40 MB
MAX_PHOTO_PIXELS = 100_000_000  # width × height of a photo; a 24-megapixel camera is far below
MAX_NAME_BYTES = 255  # one name in a photo path (UTF-8), as Linux, macOS and Windows allow
MAX_PARAMS_BYTES = 1_000_000  # a params file; a real one is about 1 KB
MAX_YAML_DEPTH = 20  # nesting of mappings and lists in a params file; a real one has 3
MAX_YAML_NODES = 100_000  # values of a params file counted with every alias expanded; a real one has about 60
MAX_REFERENCE_BYTES = 50_000_000  # a docx_reference or pptx_reference file
MAX_REFERENCE_PART_BYTES = 100_000_000  # one part of a reference document (e.g. a picture), uncompressed
MAX_REFERENCE_TOTAL_BYTES = 200_000_000  # all parts of a reference document together, uncompressed
MAX_REFERENCE_XML_BYTES = 20_000_000  # one XML part of a reference document; a company template's is under 1 MB
MAX_REFERENCE_RATIO = 200  # uncompressed size / compressed size of a reference document's part over 1 MB
MAX_REFERENCE_RATIO_FROM = 1_000_000  # ... the 1 MB: smaller parts may have any ratio (tiny XML parts compress 100:1)

# --- Archives and review folders (batch/archive.py, batch/verify.py, batch/rerun.py) ---
# A review of 1,000 groups in every format, with 20 photos a group, holds about 26,000 entries and 5-10 GB.
ARCHIVE_ENTRIES = 200_000  # entries in a review archive
ARCHIVE_ENTRY_BYTES = 4 * 1024**3  # uncompressed size of one entry (a report, a photo, the workbook)
ARCHIVE_TOTAL_BYTES = 64 * 1024**3  # uncompressed size of all entries together
ARCHIVE_RATIO = 200  # uncompressed / compressed size of one entry (HTML and CSV: 5-20; photos, PDF: ~1)
ARCHIVE_RATIO_FROM = 1024**2  # ... checked for entries larger than this (a tiny file of one repeated byte is fine)
MANIFEST_BYTES = 256 * 1024**2  # manifest.json (about 1 MB for 1,000 groups)
JSON_DEPTH = 32  # nesting of objects and lists in manifest.json (it uses 4)
