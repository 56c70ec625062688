"""The photo files a workbook's sheet ``dokumentasi`` (``photos``) refers to: where they are, whether they are
images, and their bytes' SHA-256 (part of the group's data fingerprint).

Paths are relative to the folder that holds the workbook (the CSV folder itself for a folder of CSV files); a path
that leaves that folder (``../``, an absolute path, a symbolic link pointing out) is refused. Each image is read and
decoded on its own, one at a time, so that memory stays bounded whatever the number of photos.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd

from tjsl_eval.common.problems import Problem
from tjsl_eval.inputs.schema import PHOTO_EXTENSIONS

HASH_COLUMN = "sha256"  # the photo table's computed column: the hash of the file's bytes
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}  # what Pillow must find in a file with one of PHOTO_EXTENSIONS
MAX_PIXELS = 100_000_000  # larger images are refused (a 24-megapixel photo is far below)
_WINDOWS_ABSOLUTE = re.compile(r"^([A-Za-z]:|[\\/])")


class PhotoError(ValueError):
    """A photo file that cannot be used, with what is wrong."""


def workbook_folder(path: Path) -> Path:
    """The folder photo paths are relative to: a CSV folder itself, else the folder holding the workbook file."""
    return (path if path.is_dir() else path.parent).resolve()


def normalized(file: str) -> str:
    """A photo path as written, with ``\\`` read as ``/`` (paths typed on Windows)."""
    return file.strip().replace("\\", "/")


def resolve(folder: Path, file: str) -> Path:
    """The file ``file`` names inside ``folder``; raises :class:`PhotoError` for a path that leaves the folder, an
    extension not listed or a file that does not exist."""
    relative = normalized(file)
    if _WINDOWS_ABSOLUTE.match(relative) or PurePosixPath(relative).is_absolute():
        raise PhotoError("expected a path relative to the workbook's folder, not an absolute path")
    if PurePosixPath(relative).suffix.lower() not in PHOTO_EXTENSIONS:
        raise PhotoError(f"expected a file ending in {', '.join(PHOTO_EXTENSIONS)}")
    candidate = folder / relative
    resolved = Path(os.path.realpath(candidate))  # symbolic links followed
    if not resolved.is_relative_to(folder):
        raise PhotoError(f"expected a path inside the workbook's folder {folder}; this one leads outside it")
    if not resolved.is_file():
        raise PhotoError(f"the file {candidate} does not exist")
    return resolved


def check_image(data: bytes) -> None:
    """Raise :class:`PhotoError` unless ``data`` is a whole JPEG, PNG or WebP image of at most :data:`MAX_PIXELS`."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise PhotoError(f"expected a JPEG, PNG or WebP image; the file is {image.format}")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(
                        f"expected an image of at most {MAX_PIXELS // 1_000_000} megapixels; "
                        f"this one has {width} × {height} pixels"
                    )
                image.draft("RGB", (1, 1))  # a JPEG is decoded at 1/8 scale: every byte is read, little memory
                image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(f"expected an image of at most {MAX_PIXELS // 1_000_000} megapixels ({error})") from None
    except Exception as error:  # Pillow raises many types for damaged files
        raise PhotoError(f"the file is not an image or is damaged ({error})") from None


def read_photo(folder: Path, file: str) -> tuple[bytes, str]:
    """The checked bytes of a photo and their SHA-256 (raises :class:`PhotoError`)."""
    path = resolve(folder, file)
    data = path.read_bytes()
    check_image(data)
    return data, hashlib.sha256(data).hexdigest()


def check_photos(table: pd.DataFrame, folder: Path, file_label: str, sheet: str, column: str) -> list[Problem]:
    """Check every photo file of the typed ``photos`` table, one at a time and once however many rows name it; set
    its :data:`HASH_COLUMN` (in place) and its ``file`` to the normalized path. Each row naming an unusable file is
    a problem naming the sheet, Excel row and ``column``."""
    problems = []
    hashes: list[object] = []
    checked: dict[str, str | PhotoError] = {}  # each file is read once, however many rows name it
    for row, file in table["file"].items():
        if pd.isna(file):
            hashes.append(None)
            continue
        key = normalized(file)
        if key not in checked:
            try:
                checked[key] = read_photo(folder, file)[1]
            except PhotoError as error:
                checked[key] = error
        outcome = checked[key]
        if isinstance(outcome, PhotoError):
            problems.append(Problem(file_label, sheet, int(row), column, f"{outcome}; found {file!r}"))
            hashes.append(None)
        else:
            hashes.append(outcome)
    table["file"] = table["file"].map(lambda file: file if pd.isna(file) else normalized(file)).astype("str")
    table[HASH_COLUMN] = pd.Series(hashes, index=table.index, dtype="str")
    return problems


def file_signature(folder: Path | None, table: pd.DataFrame) -> str:
    """A cheap fingerprint of the photo files (path, size, modification time): it changes when a file does."""
    digest = hashlib.sha256()
    for file in table["file"].dropna() if folder is not None else ():
        try:
            stat = (folder / file).stat()
            digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{file}\0missing\n".encode())
    return digest.hexdigest()
