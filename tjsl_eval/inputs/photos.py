"""The photo files a workbook's sheet ``dokumentasi`` (``photos``) refers to: where they are, whether they are
images, and their bytes' SHA-256 (part of the group's data fingerprint).

Paths are relative to the folder that holds the workbook (the CSV folder itself for a folder of CSV files); a path
that leaves that folder (``../``, an absolute path, a symbolic link pointing out) is refused, as is anything but a
regular file (a FIFO, a device, a folder) and a file over :data:`~tjsl_eval.common.limits.MAX_PHOTO_BYTES` (its size
is taken before it is read). Each image is read (and hashed as it is read) and decoded on its own, one at a time, so
that memory stays bounded whatever the number of photos.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd

from tjsl_eval.common.bounded_read import NotARegularFile, TooLarge, file_kind, read_bounded
from tjsl_eval.common.limits import LIMITS_PAGE, MAX_NAME_BYTES, MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS
from tjsl_eval.common.problems import Problem
from tjsl_eval.inputs.schema import PHOTO_EXTENSIONS

HASH_COLUMN = "sha256"  # the photo table's computed column: the hash of the file's bytes
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}  # what Pillow must find in a file with one of PHOTO_EXTENSIONS
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
    extension not listed, a name the system cannot hold, or a file that does not exist or is not a regular file."""
    relative = normalized(file)
    if "\0" in relative:
        raise PhotoError("expected a file path; this one contains a NUL character")
    long_names = [name for name in relative.split("/") if len(name.encode("utf-8")) > MAX_NAME_BYTES]
    if long_names:
        raise PhotoError(
            f"expected folder and file names of at most {MAX_NAME_BYTES} bytes; "
            f"one has {len(long_names[0].encode('utf-8'))} (see {LIMITS_PAGE})"
        )
    if _WINDOWS_ABSOLUTE.match(relative) or PurePosixPath(relative).is_absolute():
        raise PhotoError("expected a path relative to the workbook's folder, not an absolute path")
    if PurePosixPath(relative).suffix.lower() not in PHOTO_EXTENSIONS:
        raise PhotoError(f"expected a file ending in {', '.join(PHOTO_EXTENSIONS)}")
    candidate = folder / relative
    try:
        resolved = Path(os.path.realpath(candidate))  # symbolic links followed
        if not resolved.is_relative_to(folder):
            raise PhotoError(f"expected a path inside the workbook's folder {folder}; this one leads outside it")
        mode = resolved.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise PhotoError(f"the file {candidate} does not exist") from None
    except (OSError, ValueError) as error:  # a path too long, a loop of symbolic links, a name not encodable
        raise PhotoError(f"the file {candidate} cannot be read ({getattr(error, 'strerror', None) or error})") from None
    if not stat.S_ISREG(mode):
        raise PhotoError(f"expected a photo file; {candidate} is {file_kind(mode)}")
    return resolved


def read_checked(path: Path) -> tuple[bytes, str]:
    """The bytes of the regular file ``path`` and their SHA-256, hashed as they are read; raises
    :class:`PhotoError` for a file over :data:`~tjsl_eval.common.limits.MAX_PHOTO_BYTES` (its size is taken first,
    and no more than the limit is ever read), one that is not a regular file, or one that cannot be read."""
    digest = hashlib.sha256()
    try:
        data = read_bounded(path, MAX_PHOTO_BYTES, digest)
    except NotARegularFile as error:
        raise PhotoError(f"expected a photo file; {path} is {error}") from None
    except TooLarge as error:
        raise PhotoError(_too_large(error.size)) from None
    except OSError as error:
        raise PhotoError(f"the file {path} cannot be read ({error.strerror or error})") from None
    return data, digest.hexdigest()


def _too_large(size: int) -> str:
    return (
        f"expected a photo file of at most {MAX_PHOTO_BYTES // 1_000_000} MB; this one has {size / 1_000_000:,.0f} MB "
        f"(see {LIMITS_PAGE}): save it smaller, e.g. as a JPEG of at most 4,000 pixels a side"
    )


def check_image(data: bytes) -> None:
    """Raise :class:`PhotoError` unless ``data`` is a whole JPEG, PNG or WebP image of at most
    :data:`~tjsl_eval.common.limits.MAX_PHOTO_PIXELS` (Pillow's decompression-bomb check included)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked below
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise PhotoError(f"expected a JPEG, PNG or WebP image; the file is {image.format}")
                width, height = image.size
                if width * height > MAX_PHOTO_PIXELS:
                    raise PhotoError(_too_many_pixels(f"this one has {width} × {height} pixels"))
                image.draft("RGB", (1, 1))  # a JPEG is decoded at 1/8 scale: every byte is read, little memory
                image.load()
    except PhotoError:
        raise
    except Image.DecompressionBombError:  # over twice Pillow's own limit: refused as it is opened
        raise PhotoError(
            _too_many_pixels(f"this one has over {2 * Image.MAX_IMAGE_PIXELS // 1_000_000} megapixels")
        ) from None
    except Exception as error:  # Pillow raises many types for damaged files
        raise PhotoError(f"the file is not an image or is damaged ({error})") from None


def _too_many_pixels(found: str) -> str:
    return f"expected an image of at most {MAX_PHOTO_PIXELS // 1_000_000} megapixels; {found} (see {LIMITS_PAGE})"


def read_photo(folder: Path, file: str) -> tuple[bytes, str]:
    """The checked bytes of a photo and their SHA-256 (raises :class:`PhotoError`)."""
    data, digest = read_checked(resolve(folder, file))
    check_image(data)
    return data, digest


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
        except (OSError, ValueError):  # ValueError: a NUL in the path (refused by validation)
            digest.update(f"{file}\0missing\n".encode())
    return digest.hexdigest()
