"""Undoable edits: every change a fact-checker makes goes through one of these.

Design choices that the rest of the UI relies on:

* **The constructor applies the change.**  ``QUndoStack.push`` calls
  ``redo()`` from C++, where a Python exception can no longer reach the
  caller.  So each command does its first application while it is being
  built: a :class:`~workbench.core.errors.KnownError` (empty text, bad URL,
  span outside the article) raises to the code that created it, which shows
  the message, and nothing is pushed.  The ``redo()`` call made by ``push``
  is then skipped.
* **Ids survive undo.**  Deleting a claim and undoing re-creates its row,
  with a new id (SQLite does not reuse ids we could ask for).  Every command
  keeps the ids it was built with and resolves them through a per-store
  :class:`IdRemap`, so a verdict set on claim 5 can still be undone after
  claim 5 was deleted and restored as claim 9.  One QUndoStack per window
  therefore survives switching claims and deleting/restoring them.
* **Changes go out through ``on_changes``**, the same record the services
  return, so panels refresh exactly as they do for any other edit.
* A command whose rows were removed behind its back (an article deleted from
  the library, an automatic claim dropped by re-extraction) marks itself
  obsolete instead of failing, and the stack drops it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtGui import QUndoCommand

from workbench.core.errors import NotFoundError
from workbench.core.model import Changes, Claim, Evidence, Flag, Stance, Status, Verdict
from workbench.core.services import claims as claim_service
from workbench.core.services import sources as source_service
from workbench.core.sources.excerpt import excerpt_found
from workbench.core.sources.urls import check_url
from workbench.core.storage import Store

OnChanges = Callable[[Changes], None]

# QUndoCommand ids for merging; any value other than -1 enables mergeWith.
_RATIONALE_ID = 4101
_TEXT_ID = 4102


# --------------------------------------------------------------------------- ids


@dataclass(slots=True)
class IdRemap:
    """Old id -> new id for rows that undo/redo re-created.

    Chains are followed, so a claim deleted and restored twice still resolves.
    """

    claims: dict[int, int] = field(default_factory=dict)
    evidence: dict[int, int] = field(default_factory=dict)

    @staticmethod
    def _follow(table: dict[int, int], key: int) -> int:
        seen = 0
        while key in table and seen < 10_000:
            key = table[key]
            seen += 1
        return key

    def claim(self, claim_id: int) -> int:
        return self._follow(self.claims, claim_id)

    def evidence_id(self, evidence_id: int) -> int:
        return self._follow(self.evidence, evidence_id)

    # SQLite hands out max(id)+1, so a freshly created row can take an id
    # that an older, since-deleted row had; that id must then mean the new row.

    def fresh_claim(self, claim_id: int) -> None:
        self.claims.pop(claim_id, None)

    def fresh_evidence(self, evidence_id: int) -> None:
        self.evidence.pop(evidence_id, None)

    def moved_claim(self, old: int, new: int) -> None:
        self.fresh_claim(new)
        if old != new:
            self.claims[old] = new

    def moved_evidence(self, old: int, new: int) -> None:
        self.fresh_evidence(new)
        if old != new:
            self.evidence[old] = new


_REMAPS: weakref.WeakKeyDictionary[Store, IdRemap] = weakref.WeakKeyDictionary()


def id_remap(store: Store) -> IdRemap:
    """The remap table shared by every command working on ``store``."""
    remap = _REMAPS.get(store)
    if remap is None:
        remap = IdRemap()
        _REMAPS[store] = remap
    return remap


def current_claim_id(store: Store, claim_id: int) -> int:
    """The id ``claim_id`` has now, after any undo/redo that re-created it."""
    return id_remap(store).claim(claim_id)


def current_evidence_id(store: Store, evidence_id: int) -> int:
    return id_remap(store).evidence_id(evidence_id)


# --------------------------------------------------------------------------- base


class _Command(QUndoCommand):
    """Applies once in the constructor; ``push`` then skips its first ``redo``."""

    def __init__(self, store: Store, on_changes: OnChanges, text: str) -> None:
        super().__init__(text)
        self._store = store
        self._on_changes = on_changes
        self._remap = id_remap(store)
        self._pushed = False
        self._emit(self._apply())

    # subclasses implement these two, returning what they touched
    def _apply(self) -> Changes:
        raise NotImplementedError

    def _revert(self) -> Changes:
        raise NotImplementedError

    def _emit(self, changes: Changes) -> None:
        if not changes.is_empty():
            self._on_changes(changes)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # applied in the constructor already
            return
        self._guarded(self._apply)

    def undo(self) -> None:
        self._guarded(self._revert)

    def _guarded(self, step: Callable[[], Changes]) -> None:
        try:
            changes = step()
        except NotFoundError:
            # Its rows went away outside the stack (library delete,
            # re-extraction): nothing left to undo or redo.
            self.setObsolete(True)
            return
        self._emit(changes)


def _claim_changes(claim: Claim) -> Changes:
    return Changes(claims={claim.id}, articles={claim.article_id})


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- claim fields


class EditClaimTextCommand(_Command):
    """Change a claim's wording; the extracted text stays as the original.

    Like :class:`SetRationaleCommand`, saves sharing a ``burst`` merge.
    """

    def __init__(
        self,
        store: Store,
        claim_id: int,
        new_text: str,
        on_changes: OnChanges,
        *,
        burst: int | None = None,
    ) -> None:
        self._claim_id = claim_id
        self._new_text = new_text
        self._burst = burst
        self._old: str | None = store.claims.get(current_claim_id(store, claim_id)).text_edited
        super().__init__(store, on_changes, f"Edit claim text “{_short(new_text)}”")

    def id(self) -> int:
        return _TEXT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditClaimTextCommand) or self._burst is None:
            return False
        mine = self._remap.claim(self._claim_id)
        if other._burst != self._burst or self._remap.claim(other._claim_id) != mine:
            return False
        self._new_text = other._new_text
        self.setText(other.text())
        return True

    def _apply(self) -> Changes:
        _, changes = claim_service.edit_claim(
            self._store, self._remap.claim(self._claim_id), self._new_text
        )
        return changes

    def _revert(self) -> Changes:
        claim = self._store.claims.update(self._remap.claim(self._claim_id), text_edited=self._old)
        return _claim_changes(claim)


class SetVerdictCommand(_Command):
    """Set (or clear, with ``None``) a verdict; undo restores verdict and status."""

    def __init__(
        self, store: Store, claim_id: int, verdict: Verdict | None, on_changes: OnChanges
    ) -> None:
        self._claim_id = claim_id
        self._verdict = verdict
        before = store.claims.get(current_claim_id(store, claim_id))
        self._old_verdict = before.verdict
        self._old_status = before.status
        self._old_set_at = before.verdict_set_at
        label = verdict.label if verdict is not None else "none"
        super().__init__(store, on_changes, f"Set verdict “{label}”")

    def _apply(self) -> Changes:
        _, changes = claim_service.set_verdict(
            self._store, self._remap.claim(self._claim_id), self._verdict
        )
        return changes

    def _revert(self) -> Changes:
        claim = self._store.claims.update(
            self._remap.claim(self._claim_id),
            verdict=self._old_verdict,
            status=self._old_status,
            verdict_set_at=self._old_set_at,
        )
        return _claim_changes(claim)


class SetRationaleCommand(_Command):
    """Save the rationale; consecutive saves of one typing burst merge into one step.

    ``burst`` identifies the burst (the panel starts a new one on focus,
    on a claim switch and after a pause); commands merge only when their
    claim and burst match, so one undo takes back one burst of typing.
    """

    def __init__(
        self,
        store: Store,
        claim_id: int,
        text: str,
        on_changes: OnChanges,
        *,
        burst: int | None = None,
    ) -> None:
        self._claim_id = claim_id
        self._text = text
        self._burst = burst
        self._old = store.claims.get(current_claim_id(store, claim_id)).rationale
        super().__init__(store, on_changes, "Edit rationale")

    @property
    def claim_id(self) -> int:
        return self._remap.claim(self._claim_id)

    def id(self) -> int:
        return _RATIONALE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetRationaleCommand) or self._burst is None:
            return False
        if other._burst != self._burst or other.claim_id != self.claim_id:
            return False
        self._text = other._text
        if self._text == self._old:
            self.setObsolete(True)  # typed and then erased: nothing to undo
        return True

    def _apply(self) -> Changes:
        claim = self._store.claims.update(self.claim_id, rationale=self._text)
        return _claim_changes(claim)

    def _revert(self) -> Changes:
        claim = self._store.claims.update(self.claim_id, rationale=self._old)
        return _claim_changes(claim)


class SetStatusCommand(_Command):
    def __init__(self, store: Store, claim_id: int, status: Status, on_changes: OnChanges) -> None:
        self._claim_id = claim_id
        self._status = status
        self._old = store.claims.get(current_claim_id(store, claim_id)).status
        super().__init__(store, on_changes, f"Set status “{status.value.replace('_', ' ')}”")

    def _apply(self) -> Changes:
        _, changes = claim_service.set_status(
            self._store, self._remap.claim(self._claim_id), self._status
        )
        return changes

    def _revert(self) -> Changes:
        _, changes = claim_service.set_status(
            self._store, self._remap.claim(self._claim_id), self._old
        )
        return changes


# --------------------------------------------------------------------------- evidence


def _recheck_excerpt(store: Store, evidence: Evidence) -> Evidence:
    """Compare the excerpt with the source's current snapshot, if there is one."""
    source = store.sources.get(evidence.source_id)
    if source.current_snapshot_id is None:
        return evidence
    snapshot = store.sources.snapshot(source.current_snapshot_id)
    found = excerpt_found(evidence.excerpt, snapshot.text)
    if found == evidence.excerpt_found:
        return evidence
    return store.evidence.set_excerpt_found(evidence.id, found)


def _put_back(store: Store, old: Evidence, current_id: int) -> Evidence:
    """Give an existing evidence row the stance, excerpt and note it had before."""
    store.evidence.update(current_id, stance=old.stance, excerpt=old.excerpt, note=old.note)
    return store.evidence.set_excerpt_found(current_id, old.excerpt_found)


def _evidence_changes(evidence: Evidence) -> Changes:
    return Changes(claims={evidence.claim_id}, sources={evidence.source_id}, evidence={evidence.id})


class AddEvidenceCommand(_Command):
    """Attach a URL to a claim at once (no network); undo detaches it again.

    Attaching a source the claim already cites updates that row, so undo
    then puts the row's earlier stance, excerpt and note back instead of
    deleting it.  :attr:`source_id` and :attr:`evidence_id` tell the caller
    what to fetch.
    """

    def __init__(
        self,
        store: Store,
        claim_id: int,
        url: str,
        stance: Stance | str,
        excerpt: str,
        note: str,
        on_changes: OnChanges,
    ) -> None:
        self._claim_id = claim_id
        self._url, self._stance, self._excerpt, self._note = url, stance, excerpt, note
        checked = check_url(url)  # raises before anything is read or stored
        resolved = current_claim_id(store, claim_id)
        self._previous: Evidence | None = next(
            (
                v.evidence
                for v in store.evidence.for_claim(resolved)
                if v.source.normalized_url == checked.normalized
            ),
            None,
        )
        self._evidence_id = 0
        self._source_id = 0
        self._applied: Evidence | None = None
        super().__init__(store, on_changes, f"Add evidence {_short(checked.normalized)}")

    @property
    def evidence_id(self) -> int:
        return self._remap.evidence_id(self._evidence_id)

    @property
    def source_id(self) -> int:
        return self._source_id

    def _apply(self) -> Changes:
        if self._applied is not None and self._previous is None:
            # redo after undo: re-create the row exactly as it was attached
            restored = self._store.evidence.restore(
                replace(self._applied, claim_id=self._remap.claim(self._claim_id))
            )
            self._remap.moved_evidence(self.evidence_id, restored.id)
            return _evidence_changes(restored)
        view, changes = source_service.attach_evidence(
            self._store,
            self._remap.claim(self._claim_id),
            self._url,
            stance=self._stance,
            excerpt=self._excerpt,
            note=self._note,
        )
        if self._evidence_id == 0:
            self._evidence_id = view.evidence.id
            if self._previous is None:
                self._remap.fresh_evidence(view.evidence.id)
        self._source_id = view.source.id
        self._applied = view.evidence
        return changes

    def _revert(self) -> Changes:
        current = self.evidence_id
        evidence = self._store.evidence.get(current)
        if self._previous is not None:
            return _evidence_changes(_put_back(self._store, self._previous, current))
        self._applied = evidence
        self._store.evidence.delete(current)
        return Changes(
            claims={evidence.claim_id}, sources={evidence.source_id}, deleted_evidence={current}
        )


class EditEvidenceCommand(_Command):
    """Change stance, excerpt or note; a new excerpt is checked against the snapshot."""

    def __init__(
        self,
        store: Store,
        evidence_id: int,
        *,
        stance: Stance | None = None,
        excerpt: str | None = None,
        note: str | None = None,
        on_changes: OnChanges,
    ) -> None:
        self._evidence_id = evidence_id
        self._stance = stance
        self._excerpt = excerpt.strip() if excerpt is not None else None
        self._note = note.strip() if note is not None else None
        self._old = store.evidence.get(current_evidence_id(store, evidence_id))
        super().__init__(store, on_changes, "Edit evidence")

    def _apply(self) -> Changes:
        current = self._remap.evidence_id(self._evidence_id)
        evidence = self._store.evidence.update(
            current, stance=self._stance, excerpt=self._excerpt, note=self._note
        )
        return _evidence_changes(_recheck_excerpt(self._store, evidence))

    def _revert(self) -> Changes:
        current = self._remap.evidence_id(self._evidence_id)
        return _evidence_changes(_put_back(self._store, self._old, current))


class RemoveEvidenceCommand(_Command):
    """Detach a source from a claim; undo re-creates the row (new id, remapped)."""

    def __init__(self, store: Store, evidence_id: int, on_changes: OnChanges) -> None:
        self._evidence_id = evidence_id
        self._saved = store.evidence.get(current_evidence_id(store, evidence_id))
        source = store.sources.get(self._saved.source_id)
        super().__init__(store, on_changes, f"Remove evidence {_short(source.normalized_url)}")

    def _apply(self) -> Changes:
        current = self._remap.evidence_id(self._evidence_id)
        self._saved = self._store.evidence.get(current)
        self._store.evidence.delete(current)
        return Changes(
            claims={self._saved.claim_id},
            sources={self._saved.source_id},
            deleted_evidence={current},
        )

    def _revert(self) -> Changes:
        claim_id = self._remap.claim(self._saved.claim_id)
        restored = self._store.evidence.restore(replace(self._saved, claim_id=claim_id))
        self._remap.moved_evidence(self._saved.id, restored.id)
        return _evidence_changes(restored)


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class _SavedClaim:
    """A claim and its evidence as they were, to re-create both on undo."""

    claim: Claim
    evidence: tuple[Evidence, ...]


def _save_claim(store: Store, claim_id: int) -> _SavedClaim:
    claim = store.claims.get(claim_id)
    return _SavedClaim(claim, tuple(v.evidence for v in store.evidence.for_claim(claim_id)))


def _restore_claim(store: Store, remap: IdRemap, saved: _SavedClaim) -> Changes:
    """Re-create a claim and all its evidence; record the new ids."""
    claim = store.claims.restore(saved.claim)
    remap.moved_claim(saved.claim.id, claim.id)
    changes = Changes(articles={claim.article_id}, claims={claim.id})
    for old in saved.evidence:
        restored = store.evidence.restore(replace(old, claim_id=claim.id))
        remap.moved_evidence(old.id, restored.id)
        changes.evidence.add(restored.id)
        changes.sources.add(restored.source_id)
    return changes


def _delete_claim(store: Store, claim_id: int) -> tuple[_SavedClaim, Changes]:
    saved = _save_claim(store, claim_id)
    return saved, claim_service.delete_claim(store, claim_id)


class AddClaimCommand(_Command):
    """A manual claim over an article span; :attr:`claim_id` is its current id."""

    def __init__(
        self, store: Store, article_id: int, start: int, end: int, on_changes: OnChanges
    ) -> None:
        self._article_id, self._start, self._end = article_id, start, end
        self._saved: _SavedClaim | None = None
        self._claim_id = 0
        super().__init__(store, on_changes, "Add claim")
        self.setText(f"Add claim “{_short(self._store.claims.get(self.claim_id).text)}”")

    @property
    def claim_id(self) -> int:
        return self._remap.claim(self._claim_id)

    def _apply(self) -> Changes:
        if self._saved is not None:
            return _restore_claim(self._store, self._remap, self._saved)
        claim, changes = claim_service.add_claim(
            self._store, self._article_id, self._start, self._end
        )
        self._claim_id = claim.id
        self._remap.fresh_claim(claim.id)
        return changes

    def _revert(self) -> Changes:
        self._saved, changes = _delete_claim(self._store, self.claim_id)
        return changes


class DeleteClaimCommand(_Command):
    """Delete a claim; undo restores the claim AND all its evidence."""

    def __init__(self, store: Store, claim_id: int, on_changes: OnChanges) -> None:
        self._claim_id = claim_id
        self._saved: _SavedClaim | None = None
        claim = store.claims.get(current_claim_id(store, claim_id))
        super().__init__(store, on_changes, f"Delete claim “{_short(claim.text)}”")

    @property
    def claim_id(self) -> int:
        return self._remap.claim(self._claim_id)

    def _apply(self) -> Changes:
        self._saved, changes = _delete_claim(self._store, self.claim_id)
        return changes

    def _revert(self) -> Changes:
        assert self._saved is not None
        return _restore_claim(self._store, self._remap, self._saved)


class SplitClaimCommand(_Command):
    """Split a claim at article offset ``at``; undo puts the original span back."""

    def __init__(self, store: Store, claim_id: int, at: int, on_changes: OnChanges) -> None:
        self._claim_id = claim_id
        self._at = at
        self._original = store.claims.get(current_claim_id(store, claim_id))
        self._second_id = 0
        super().__init__(store, on_changes, f"Split claim “{_short(self._original.text)}”")

    @property
    def claim_ids(self) -> tuple[int, int]:
        """(first half, second half), current ids."""
        return self._remap.claim(self._claim_id), self._remap.claim(self._second_id)

    def _apply(self) -> Changes:
        (_, second), changes = claim_service.split_claim(
            self._store, self._remap.claim(self._claim_id), self._at
        )
        if self._second_id == 0:
            self._second_id = second.id
            self._remap.fresh_claim(second.id)
        else:
            self._remap.moved_claim(self._remap.claim(self._second_id), second.id)
        return changes

    def _revert(self) -> Changes:
        first_id, second_id = self.claim_ids
        changes = claim_service.delete_claim(self._store, second_id)
        o = self._original
        claim = self._store.claims.update(
            first_id,
            start=o.start,
            end=o.end,
            text_extracted=o.text_extracted,
            text_edited=o.text_edited,
            types=o.types,
        )
        return changes.merge(_claim_changes(claim))


class MergeClaimsCommand(_Command):
    """Merge claims into the earliest; undo re-creates the others with their evidence."""

    def __init__(self, store: Store, claim_ids: Sequence[int], on_changes: OnChanges) -> None:
        self._claim_ids = tuple(dict.fromkeys(claim_ids))
        self._saved: list[_SavedClaim] = []
        self._keep_id = 0
        super().__init__(store, on_changes, f"Merge {len(self._claim_ids)} claims")

    @property
    def claim_id(self) -> int:
        """The merged claim's current id."""
        return self._remap.claim(self._keep_id)

    def _apply(self) -> Changes:
        current = [self._remap.claim(i) for i in self._claim_ids]
        self._saved = sorted(
            (_save_claim(self._store, i) for i in current), key=lambda s: s.claim.start
        )
        moved = {e.id for s in self._saved[1:] for e in s.evidence}
        merged, changes = claim_service.merge_claims(self._store, current)
        self._keep_id = merged.id
        changes.deleted_evidence |= {
            i for i in moved if not self._exists(i)
        }  # rows folded into one the kept claim already had
        return changes

    def _exists(self, evidence_id: int) -> bool:
        try:
            self._store.evidence.get(evidence_id)
        except NotFoundError:
            return False
        return True

    def _revert(self) -> Changes:
        keep, others = self._saved[0], self._saved[1:]
        keep_id = self.claim_id
        own = {e.id for e in keep.evidence}
        changes = Changes(articles={keep.claim.article_id}, claims={keep_id})
        for view in self._store.evidence.for_claim(keep_id):
            if view.evidence.id not in own:  # moved in by the merge
                self._store.evidence.delete(view.evidence.id)
                changes.deleted_evidence.add(view.evidence.id)
        for old in keep.evidence:
            current = self._remap.evidence_id(old.id)
            changes.merge(_evidence_changes(_put_back(self._store, old, current)))
        o = keep.claim
        self._store.claims.update(
            keep_id,
            start=o.start,
            end=o.end,
            text_extracted=o.text_extracted,
            text_edited=o.text_edited,
            verdict=o.verdict,
            rationale=o.rationale,
            status=o.status,
        )
        for saved in others:
            changes.merge(_restore_claim(self._store, self._remap, saved))
        return changes


# --------------------------------------------------------------------------- flags


class DismissFlagCommand(_Command):
    """Dismiss (or, with ``dismissed=False``, restore) a consistency finding.

    Re-running the checker re-creates flag rows with new ids but the same
    fingerprint, so undo finds its flag by fingerprint when the id is gone.
    """

    def __init__(
        self,
        store: Store,
        flag: Flag | int,
        on_changes: OnChanges,
        *,
        dismissed: bool = True,
    ) -> None:
        self._flag = flag if isinstance(flag, Flag) else _find_flag(store, flag)
        self._dismissed = dismissed
        verb = "Dismiss" if dismissed else "Restore"
        super().__init__(store, on_changes, f"{verb} finding “{_short(self._flag.message)}”")

    def _set(self, value: bool) -> Changes:
        flag = self._current()
        updated = self._store.flags.set_dismissed(flag.id, value)
        self._flag = updated
        return Changes(flags={updated.id}, articles={updated.article_id})

    def _current(self) -> Flag:
        # SQLite reuses ids after a re-run, so the fingerprint decides when there is one.
        fingerprint = self._flag.fingerprint
        for flag in self._store.flags.for_article(self._flag.article_id):
            if (flag.fingerprint == fingerprint) if fingerprint else (flag.id == self._flag.id):
                return flag
        raise NotFoundError(f"the finding “{_short(self._flag.message)}” is gone")

    def _apply(self) -> Changes:
        return self._set(self._dismissed)

    def _revert(self) -> Changes:
        return self._set(not self._dismissed)


def _find_flag(store: Store, flag_id: int) -> Flag:
    """Look a flag up by id alone (callers holding the Flag pass it instead)."""
    for article in store.articles.list():
        for flag in store.flags.for_article(article.id):
            if flag.id == flag_id:
                return flag
    raise NotFoundError(f"no consistency finding with id {flag_id}")
