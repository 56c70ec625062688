"""The run's cache files in ``<output folder>/.cache``: their names and their format.

A cache file is a pickle sealed with an HMAC-SHA256 made with a key kept OUTSIDE any output folder
(:func:`cache_key`: ``$XDG_CACHE_HOME/tjsl-eval/cache.key``, else ``~/.cache/tjsl-eval/cache.key``,
created once, readable by its owner only). A file is unpickled only after its seal checks out, so a
``.cache`` folder that came with a review someone sent (or that anyone else could write) is never
executed: it is ignored (:class:`CacheRejected`) and the cache is made again.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import pickle
import secrets
import stat
from functools import cache
from pathlib import Path

from tjsl_eval.common.files import write_atomic

CACHE_FOLDER = ".cache"
WORKBOOK_CACHE, ENTRIES_CACHE = "workbook.pkl", "entries.pkl"  # file names inside the cache folder
KEY_FOLDER_VARIABLE = "TJSL_EVAL_KEY_FOLDER"  # overrides where the key is kept (tests, a Dask cluster's shared home)
KEY_NAME = "cache.key"
MAGIC = b"tjsl-eval cache 1\n"  # what a sealed cache file starts with, before its seal
SEAL_SIZE = hashlib.sha256().digest_size
KEY_BYTES = 32


class CacheRejected(ValueError):
    """A cache file that this user's tjsl-eval did not write (or that changed since): never unpickled."""


def key_folder() -> Path:
    """Where the cache key is kept: ``$TJSL_EVAL_KEY_FOLDER``, else ``$XDG_CACHE_HOME/tjsl-eval``, else
    ``~/.cache/tjsl-eval``."""
    if os.environ.get(KEY_FOLDER_VARIABLE):
        return Path(os.environ[KEY_FOLDER_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tjsl-eval"


@cache
def cache_key() -> bytes:
    """This user's secret key for sealing cache files (see :func:`key_folder`), created on first use: mode
    0600, written whole before it is linked into place, so that two processes starting at once agree on one
    key. A key that is not a regular file of this user's, readable by no one else, is replaced (which only
    makes the caches be made again)."""
    folder = key_folder()
    path = folder / KEY_NAME
    key = _own_key(path)
    if key is not None:
        return key
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    staged = folder / f".{KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(staged, path)
        except FileExistsError:  # another process made it first (use its key), or it is not a good key
            if _own_key(path) is None:
                os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)
    key = _own_key(path)
    if key is None:
        raise OSError(errno.EACCES, "the cache key cannot be kept there", str(path))
    return key


def _own_key(path: Path) -> bytes | None:
    """The key in ``path`` when it is a regular file of this user's that no one else may read or write."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
            return None
        key = file.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _seal(kind: str, payload: bytes) -> bytes:
    return hmac.new(cache_key(), kind.encode() + b"\0" + payload, hashlib.sha256).digest()


def save_cached(data: object, path: Path) -> None:
    """Write typed tables (a whole workbook, one group's rows) or computed figures for a later read, sealed."""
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(path, MAGIC + _seal(type(data).__name__, payload) + payload)


def load_cached(path: str | Path, kind: type) -> object:
    """Read what :func:`save_cached` wrote, checking it is a ``kind``; raises :class:`CacheRejected` (before
    unpickling anything) when the file is not sealed with this user's key."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO must not block, a link not lead
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise CacheRejected(f"{path} is not a regular file: ignored")
        data = file.read()
    header = len(MAGIC) + SEAL_SIZE
    seal, payload = data[len(MAGIC) : header], data[header:]
    if not data.startswith(MAGIC) or not hmac.compare_digest(seal, _seal(kind.__name__, payload)):
        raise CacheRejected(f"{path} was not written by this user's tjsl-eval: ignored")
    loaded = pickle.loads(payload)  # noqa: S301 - sealed above with the user's own key
    if not isinstance(loaded, kind):
        raise CacheRejected(f"{path} is not a tjsl-eval cache file of {kind.__name__}")
    return loaded


def cached_or_none(path: str | Path, kind: type) -> object | None:
    """What :func:`load_cached` reads, or None when there is no such file, or it is damaged, or not ours."""
    try:
        return load_cached(path, kind)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None
