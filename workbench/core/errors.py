"""Error hierarchy shared by every layer.

The split matters for presentation: a :class:`KnownError` is something the
user or the environment caused (bad file, locked or corrupt database, no
network) and is shown as one plain line; anything else is a bug and gets a
traceback in a crash dialog or on stderr.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class for every error the workbench raises on purpose."""


class KnownError(WorkbenchError):
    """An expected failure: the message must say what failed and what to do.

    ``hint`` is optional advice appended after the message when shown.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and hint as a single line, as the CLI prints it."""
        text = self.message.replace("\n", " ").strip()
        if self.hint:
            text = f"{text} — {self.hint.strip()}"
        return text


class UserInputError(KnownError):
    """The user gave input the workbench cannot use (bad path, bad URL, bad id)."""


class NotFoundError(UserInputError):
    """A referenced article, claim, source or evidence row does not exist."""


class DatabaseError(KnownError):
    """The database file is unusable: corrupt, foreign, locked, newer, read-only."""


class DatabaseBusyError(DatabaseError):
    """Another program held the database's write lock for longer than we waited.

    Its own class because the app's single writer retries it ("waiting for
    another program…") where every other database error is shown at once.
    """


class ConflictError(KnownError):
    """A change cannot apply because the rows it expects were changed or removed since.

    Undo and redo raise it when someone (another window, the CLI, a
    colleague) edited a row after the change being taken back; nothing is
    written.  Team mode raises it for a stale save.
    """


class NothingToUndoError(UserInputError):
    """``undo`` or ``redo`` was asked for with nothing left to take back or re-apply."""


class NetworkError(KnownError):
    """A fetch failed for a reason outside the workbench."""


class ModelUnavailableError(KnownError):
    """No spaCy pipeline (or scorer weights) could be loaded."""


class CancelledError(WorkbenchError):
    """A long operation was cancelled by the user; not an error to report."""


class BugError(WorkbenchError):
    """An internal invariant broke; always reported with a traceback."""
