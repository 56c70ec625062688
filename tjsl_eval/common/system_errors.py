"""What a failure of the system (a full disk, a read-only folder, a missing file, memory running out) means for the
user: one sentence naming the file and what to do, instead of a traceback. Used by the command line's wrapper around
every command (:class:`tjsl_eval.cli.GuardedCommand`)."""

from __future__ import annotations

import errno

from tjsl_eval.common.limits import LIMITS_PAGE

# errno -> (what happened, what to do)
_ADVICE = {
    errno.ENOSPC: ("the disk is full", "free some space, or choose a folder on another disk, then run it again"),
    errno.EDQUOT: ("your disk quota is used up", "free some space, or choose a folder on another disk"),
    errno.EROFS: ("the folder is on a read-only disk", "choose a folder you can write to (output_folder, OUT)"),
    errno.EACCES: ("permission denied", "check that you may read the inputs and write the output folder"),
    errno.EPERM: ("the operation is not permitted", "check that you may read the inputs and write the output folder"),
    errno.ENAMETOOLONG: (
        "a name in this path is too long for the system (at most 255 bytes a name)",
        "choose a shorter file or folder name",
    ),
    errno.ENOENT: ("no such file or folder", "check the path (relative paths in a params file start at its folder)"),
    errno.EISDIR: ("this is a folder where a file was expected", "give the path of a file"),
    errno.ENOTDIR: ("a part of this path is a file, not a folder", "check the path"),
    errno.EEXIST: ("a file of that name is in the way", "move it away or choose another name"),
    errno.EMFILE: ("too many files are open at once", "run it again with fewer --jobs"),
    errno.ENFILE: ("the system has too many files open", "close other programs, or run it again with fewer --jobs"),
    errno.EIO: ("the disk could not be read or written (input/output error)", "check the disk, then run it again"),
}


def explain_os_error(error: OSError, command_inputs: list[str]) -> str:
    """One line for ``error``: the file it concerns (the error's, else the command's inputs), what happened and
    what to do."""
    files = [str(name) for name in (error.filename, error.filename2) if name is not None] or command_inputs
    where = " → ".join(files) if files else "a file"
    happened, todo = _ADVICE.get(error.errno, (error.strerror or str(error) or type(error).__name__, ""))
    return f"{where}: {happened}" + (f"; {todo}." if todo else ".")


def explain_memory_error(command_inputs: list[str]) -> str:
    """One line for running out of memory while the command read ``command_inputs``."""
    inputs = ", ".join(command_inputs) or "the input"
    return (
        f"{inputs}: not enough memory to read it. Inputs over the limits listed in {LIMITS_PAGE} are refused with "
        "a message; this one is within them but did not fit: close other programs or use a computer with more "
        "memory, and check the file for unexpectedly large content."
    )
