"""Undoable claim-library actions: copying an earlier check's evidence onto a claim.

Follows the conventions of :mod:`workbench.ui.commands`: the constructor
applies the change (so a :class:`KnownError` reaches the caller and nothing
is pushed), ``push``'s first ``redo`` is skipped, Changes go out through
``on_changes``, and ids go through the shared per-store
:class:`~workbench.ui.commands.IdRemap`, so the command still works after the
target claim was deleted and restored by another command.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from workbench.core.errors import NotFoundError, UserInputError
from workbench.core.model import Changes, Evidence
from workbench.core.services import library
from workbench.core.storage import Store
from workbench.ui.commands import OnChanges, id_remap


class CopyEvidenceCommand(QUndoCommand):
    """Copy every source of claim ``from_claim`` that ``to_claim`` lacks.

    Undo deletes exactly the rows this command added (never evidence the
    target had before); redo re-creates those rows as they were, with the
    same stance, excerpt, note and excerpt check.
    """

    def __init__(self, store: Store, from_claim: int, to_claim: int, on_changes: OnChanges) -> None:
        super().__init__("Copy evidence from an earlier check")
        self._store = store
        self._on_changes = on_changes
        self._remap = id_remap(store)
        self._from = from_claim
        self._to = to_claim
        self._pushed = False
        target = self._remap.claim(to_claim)
        source = self._remap.claim(from_claim)
        have = {v.source.id for v in store.evidence.for_claim(target)}
        missing = [v for v in store.evidence.for_claim(source) if v.source.id not in have]
        if not missing:
            raise UserInputError(
                "nothing to copy: this claim already cites every source of that check",
                hint="pick an earlier check with other sources",
            )
        changes = library.copy_evidence(store, source, target)
        self._added: list[Evidence] = [store.evidence.get(i) for i in sorted(changes.evidence)]
        for evidence in self._added:
            self._remap.fresh_evidence(evidence.id)
        changes.sources.update(e.source_id for e in self._added)
        self.setText(
            f"Copy {len(self._added)} source{'s' if len(self._added) != 1 else ''} "
            "from an earlier check"
        )
        self._emit(changes)

    @property
    def evidence_ids(self) -> list[int]:
        """The current ids of the rows this command added."""
        return [self._remap.evidence_id(e.id) for e in self._added]

    def _emit(self, changes: Changes) -> None:
        if not changes.is_empty():
            self._on_changes(changes)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # applied in the constructor
            return
        try:
            target = self._remap.claim(self._to)
            self._store.claims.get(target)
            changes = Changes(claims={target})
            for evidence in self._added:
                old_id = self._remap.evidence_id(evidence.id)
                restored = self._store.evidence.restore(replace(evidence, claim_id=target))
                self._remap.moved_evidence(old_id, restored.id)
                changes.evidence.add(restored.id)
                changes.sources.add(restored.source_id)
            changes.articles.add(self._store.claims.get(target).article_id)
        except NotFoundError:
            self.setObsolete(True)
            return
        self._emit(changes)

    def undo(self) -> None:
        try:
            target = self._remap.claim(self._to)
            changes = Changes(claims={target})
            for evidence in self._added:
                current = self._remap.evidence_id(evidence.id)
                row = self._store.evidence.get(current)
                self._store.evidence.delete(current)
                changes.deleted_evidence.add(current)
                changes.sources.add(row.source_id)
            changes.articles.add(self._store.claims.get(target).article_id)
        except NotFoundError:
            self.setObsolete(True)
            return
        self._emit(changes)
