"""Undoable edits: the app's side of the core's operations and undo.

Every edit a fact-checker makes goes through :class:`Edits`, which runs the
core operation on the database lane (:class:`~workbench.ui.ops.OpRunner`:
one transaction, one history entry, its change record broadcast) and, once
it has committed, pushes an :class:`UndoStep` onto the window's
``QUndoStack``.

An :class:`UndoStep` is a thin wrapper around a history entry: its
``undo()`` asks the core to undo that entry and its ``redo()`` to redo the
resulting undo, on the same lane, as operations of their own.  So an undo
is one transaction, rows come back under their own ids (nothing to remap),
and Ctrl+Z in the app and ``workbench undo`` in a terminal are the same
thing.  When the core refuses (the rows were changed since, by another
window or the CLI), the step says so and drops out of the stack.

Design choices the rest of the UI relies on:

* **Edits are asynchronous.**  Validation that needs no database (an empty
  text, a malformed URL) raises at once, so the caller can show it and
  nothing runs; everything else reports through ``on_success`` /
  ``on_failure`` on the UI thread.  The change broadcast comes first, so
  views have refreshed when ``on_success`` runs.
* **A burst of typing is one step.**  The text and rationale saves of one
  burst carry a burst key; the core records each save as an entry that
  *extends* the previous one, and the matching steps merge here.
* **The stack follows the history.**  A step knows only history ids, so a
  claim deleted and brought back by undo is the same claim, and an older
  step that touches it still works.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.core.errors import UserInputError
from workbench.core.model import (
    Changes,
    Claim,
    Evidence,
    EvidenceView,
    Flag,
    HistoryEntry,
    Stance,
    Status,
    Verdict,
)
from workbench.core.services import claims as claim_service
from workbench.core.services import history as history_service
from workbench.core.services import library as library_service
from workbench.core.services import operations
from workbench.core.services import sources as source_service
from workbench.core.services.operations import OpResult, changes_of
from workbench.core.services.workspace import Workspace
from workbench.core.sources.urls import check_url
from workbench.ui.ops import OpRunner
from workbench.ui.tasks import TaskHandle

OnFailure = Callable[[BaseException], None]

# QUndoCommand ids for merging; any value other than -1 enables mergeWith.
_RATIONALE_ID = 4101
_TEXT_ID = 4102

_bursts = itertools.count(1)


def new_burst() -> str:
    """A fresh burst key: the saves that share one undo as one step."""
    return f"ui-{next(_bursts)}"


def short(text: str, limit: int = 40) -> str:
    """An Edit-menu-sized summary."""
    return operations.short(text, limit)


@dataclass(slots=True)
class _Ids:
    """Which history entry is in effect for a step (``applied``), or undoes it (``undone``).

    Written by the jobs on the database lane, which run one at a time in
    order, so an undo queued behind a redo sees the redo's entry.
    """

    applied: int | None
    undone: int | None = None


class UndoStep(QUndoCommand):
    """One undo step: the history entry of an operation that has already run."""

    merge_id = -1

    def __init__(
        self,
        ops: OpRunner,
        entry: HistoryEntry,
        text: str,
        *,
        report: OnFailure | None = None,
    ) -> None:
        super().__init__(text)
        self.entry = entry
        self._ops = ops
        self._ids = _Ids(applied=entry.id)
        self._report = report
        self._pushed = False

    @property
    def entry_id(self) -> int | None:
        """The history entry now in effect for this step (None while undone)."""
        return self._ids.applied

    def id(self) -> int:
        return self.merge_id

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # the operation ran before the step was pushed
            return
        ids = self._ids

        def call(store: Workspace) -> OpResult[HistoryEntry] | None:
            if ids.undone is None:
                return None  # the undo did not happen: nothing to redo
            result = history_service.redo(store, entry_id=ids.undone)
            ids.applied, ids.undone = result.entry.id if result.entry else None, None
            return result

        self._ops.run(call, label=f"Redo {self.text()}", on_failure=self._failed)

    def undo(self) -> None:
        ids = self._ids

        def call(store: Workspace) -> OpResult[HistoryEntry] | None:
            if ids.applied is None:
                return None
            result = history_service.undo(store, entry_id=ids.applied)
            ids.undone, ids.applied = result.entry.id if result.entry else None, None
            return result

        self._ops.run(call, label=f"Undo {self.text()}", on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.setObsolete(True)  # the stack drops it: it cannot be taken back
        if self._report is not None:
            self._report(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)


class TypingStep(UndoStep):
    """Saves of one burst of typing in one field of one claim: one step."""

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, TypingStep) or other.id() != self.id():
            return False
        if other.entry.extends is None or other.entry.extends != self._ids.applied:
            return False  # the core did not chain them: something happened in between
        self._ids.applied = other.entry.id if other.entry.undoable else None
        self.entry = other.entry
        if not other.entry.undoable:
            self.setObsolete(True)  # typed and erased again: nothing to undo
        return True


class RationaleStep(TypingStep):
    merge_id = _RATIONALE_ID


class TextStep(TypingStep):
    merge_id = _TEXT_ID


class Edits:
    """Every undoable edit, as the panels ask for it (see the module docstring).

    ``report`` shows why an undo or redo could not be done; a failed edit
    goes to the caller's ``on_failure``, or, without one, to the window's
    error display (the task runner's ``task_failed``).
    """

    def __init__(
        self, ops: OpRunner, stack: QUndoStack, *, report: OnFailure | None = None
    ) -> None:
        self.ops = ops
        self.stack = stack
        self.report = report

    # ---------------------------------------------------------------- plumbing

    def _run(
        self,
        call: Callable[[Workspace], object],
        *,
        label: str,
        text: Callable[[object], str],
        step: type[UndoStep] = UndoStep,
        on_success: Callable[[object], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        def done(result: object) -> None:
            entry = changes_of(result).entry
            if entry is not None and (entry.undoable or entry.extends is not None):
                self.stack.push(step(self.ops, entry, text(result), report=self.report))
            if on_success is not None:
                on_success(_value(result))

        return self.ops.run(call, label=label, on_success=done, on_failure=on_failure)

    # ---------------------------------------------------------------- claim fields

    def edit_text(
        self,
        claim_id: int,
        text: str,
        *,
        burst: str | None = None,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Change a claim's wording (the extracted text stays as the original)."""
        if not text.strip():
            raise UserInputError("the claim text is empty", hint="give the claim's wording")
        return self._run(
            lambda store: claim_service.edit_claim(store, claim_id, text, burst=burst),
            label="Saving the claim text",
            text=lambda _r: f"Edit claim text “{short(text)}”",
            step=TextStep,
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def set_rationale(
        self,
        claim_id: int,
        text: str,
        *,
        burst: str | None = None,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        return self._run(
            lambda store: claim_service.set_rationale(store, claim_id, text, burst=burst),
            label="Saving the rationale",
            text=lambda _r: "Edit rationale",
            step=RationaleStep,
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def set_verdict(
        self,
        claim_id: int,
        verdict: Verdict | None,
        *,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Set (or clear, with ``None``) a verdict; undo restores verdict and status."""
        label = verdict.label if verdict is not None else "none"
        return self._run(
            lambda store: claim_service.set_verdict(store, claim_id, verdict),
            label="Saving the verdict",
            text=lambda _r: f"Set verdict “{label}”",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def set_status(
        self,
        claim_id: int,
        status: Status,
        *,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        return self._run(
            lambda store: claim_service.set_status(store, claim_id, status),
            label="Saving the status",
            text=lambda _r: f"Set status “{status.value.replace('_', ' ')}”",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    # ---------------------------------------------------------------- claims

    def add_claim(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """A manual claim over an article span."""

        def text(result: object) -> str:
            claim = _value(result)
            return f"Add claim “{short(claim.text)}”" if isinstance(claim, Claim) else "Add claim"

        return self._run(
            lambda store: claim_service.add_claim(store, article_id, start, end),
            label="Adding the claim",
            text=text,
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def delete_claims(
        self,
        claim_ids: Sequence[int],
        *,
        on_success: Callable[[Changes], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Delete claims with their evidence, as one undo step."""
        ids = list(claim_ids)
        what = f"claim {ids[0]}" if len(ids) == 1 else f"{len(ids)} claims"
        return self._run(
            lambda store: claim_service.delete_claims(store, ids),
            label=f"Deleting {what}",
            text=lambda r: _summary_text(r, f"Delete {what}"),
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def split_claim(
        self,
        claim_id: int,
        at: int,
        *,
        on_success: Callable[[tuple[Claim, Claim]], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Split a claim at article offset ``at``; undo puts the original span back."""
        return self._run(
            lambda store: claim_service.split_claim(store, claim_id, at),
            label="Splitting the claim",
            text=lambda _r: f"Split claim {claim_id}",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def merge_claims(
        self,
        claim_ids: Sequence[int],
        *,
        on_success: Callable[[Claim], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Merge claims into the earliest; undo brings the others back with their evidence."""
        ids = list(dict.fromkeys(claim_ids))
        return self._run(
            lambda store: claim_service.merge_claims(store, ids),
            label="Merging claims",
            text=lambda _r: f"Merge {len(ids)} claims",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    # ---------------------------------------------------------------- evidence

    def attach_evidence(
        self,
        claim_id: int,
        url: str,
        stance: Stance | str,
        excerpt: str,
        note: str,
        *,
        on_success: Callable[[EvidenceView], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Attach a URL at once (no network); undo detaches it (or restores the old row)."""
        checked = check_url(url)  # raises before anything is queued
        source_service.parse_stance(stance)
        return self._run(
            lambda store: source_service.attach_evidence(
                store, claim_id, url, stance=stance, excerpt=excerpt, note=note
            ),
            label="Attaching evidence",
            text=lambda _r: f"Add evidence {short(checked.normalized)}",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def edit_evidence(
        self,
        evidence_id: int,
        *,
        stance: Stance | None = None,
        excerpt: str | None = None,
        note: str | None = None,
        on_success: Callable[[Evidence], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Change stance, excerpt or note; a new excerpt is checked against the snapshot."""
        return self._run(
            lambda store: source_service.edit_evidence(
                store, evidence_id, stance=stance, excerpt=excerpt, note=note
            ),
            label="Saving the evidence",
            text=lambda _r: "Edit evidence",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def remove_evidence(
        self,
        evidence_id: int,
        *,
        on_success: Callable[[Evidence], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Detach a source from a claim; undo brings the row back under its id."""
        return self._run(
            lambda store: source_service.remove_evidence(store, evidence_id),
            label="Removing evidence",
            text=lambda r: _summary_text(r, "Remove evidence"),
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    def copy_evidence(
        self,
        from_claim: int,
        to_claim: int,
        *,
        on_success: Callable[[Changes], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Copy every source of an earlier check that the claim lacks, as one step."""

        def text(result: object) -> str:
            n = len(changes_of(result).evidence)
            return f"Copy {n} source{'s' if n != 1 else ''} from an earlier check"

        return self._run(
            lambda store: library_service.copy_evidence(store, from_claim, to_claim),
            label="Copying evidence",
            text=text,
            on_success=_typed(on_success),
            on_failure=on_failure,
        )

    # ---------------------------------------------------------------- flags

    def dismiss_flag(
        self,
        flag: Flag,
        *,
        dismissed: bool = True,
        on_success: Callable[[Flag], None] | None = None,
        on_failure: OnFailure | None = None,
    ) -> TaskHandle:
        """Dismiss (or, with ``dismissed=False``, restore) a consistency finding."""
        verb = "Dismiss" if dismissed else "Restore"
        return self._run(
            lambda store: claim_service.dismiss_flag(store, flag.id, dismissed=dismissed),
            label="Dismissing the finding" if dismissed else "Restoring the finding",
            text=lambda _r: f"{verb} finding “{short(flag.message)}”",
            on_success=_typed(on_success),
            on_failure=on_failure,
        )


def _value(result: object) -> object:
    """The value of an operation's result (an OpResult's value, or the result itself)."""
    return result.value if isinstance(result, OpResult) else result


def _typed(callback: Callable[..., None] | None) -> Callable[[object], None] | None:
    """A typed callback where :meth:`Edits._run` hands on untyped values.

    Each public method names the value type its callback gets (a Claim, an
    EvidenceView, ...); ``_run`` is shared, so it passes ``object``.
    """
    return callback


def _summary_text(result: object, fallback: str) -> str:
    """The history's one-line summary, as an Edit menu label ("Undo Delete claim 5 …")."""
    entry = changes_of(result).entry
    if entry is None or not entry.summary:
        return fallback
    return short(entry.summary[:1].upper() + entry.summary[1:], 60)
