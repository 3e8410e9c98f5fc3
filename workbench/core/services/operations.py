"""Operations: the one way anything is written to the database.

Every change -- from the GUI, the CLI or a script -- is a core operation:

* it runs in **one transaction** (:meth:`Store.transaction`, begun with the
  write lock, so its reads and writes see one state and land together);
* it appends **exactly one history entry** in that transaction (who, when,
  what, which article and claims), so the history is the audit trail and,
  on a shared server, the change feed;
* it returns a **change record** (:class:`~workbench.core.model.Changes`,
  carrying its history entry), which the UI's runner broadcasts by itself;
* when it is undoable, the rows it changed are kept with the entry, and
  :mod:`workbench.core.services.history` takes it back -- or re-applies it --
  as one more operation (:mod:`workbench.core.storage.changelog`).

A service writes by calling :func:`run` with a function that does the work
through the repositories; the repositories join the operation's transaction
on their own.  Two seams are here for team mode and left empty today:
``preconditions`` (an expected-version check runs inside the transaction,
before the work) and :attr:`Store.after_commit`-style listeners
(:func:`add_listener`, where a shared server's NOTIFY would go).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from workbench.core.model import Changes, HistoryEntry
from workbench.core.storage import Store

if TYPE_CHECKING:
    from workbench.core.storage import Transaction
    from workbench.core.storage.changelog import RowChange

T = TypeVar("T")

USER_ENV = "WORKBENCH_USER"
UNKNOWN_ACTOR = "unknown"


class OpResult(NamedTuple, Generic[T]):
    """What an operation returns: its value and its change record.

    A tuple, so ``claim, changes = set_verdict(...)`` reads as it always did.
    """

    value: T
    changes: Changes

    @property
    def entry(self) -> HistoryEntry | None:
        """The history entry the operation was recorded under."""
        return self.changes.entry


@dataclass(slots=True)
class OpContext:
    """What the work function of an operation sees and fills in."""

    tx: Transaction
    changes: Changes = field(default_factory=Changes)
    summary: str = ""
    article_id: int | None = None
    claim_ids: set[int] = field(default_factory=set)
    reverts: int | None = None
    origin: int | None = None
    """For an undo or redo: the operation it goes back to (kept with its undo data)."""

    def describe(
        self, summary: str, *, article_id: int | None = None, claim_ids: Iterable[int] = ()
    ) -> None:
        """The one-line summary the history shows, and what the operation touched."""
        self.summary = summary
        if article_id is not None:
            self.article_id = article_id
        self.claim_ids.update(claim_ids)


Work = Callable[[OpContext], T]
Precondition = Callable[["Transaction"], None]
Listener = Callable[[Store, Changes], None]

_listeners: list[Listener] = []


def add_listener(listener: Listener) -> Callable[[], None]:
    """Call ``listener(store, changes)`` after every operation commits; returns a remover.

    For things outside the transaction that must hear of every change (a
    shared server's NOTIFY, a log).  The desktop app does not need it: its
    runner broadcasts the change record each operation returns.
    """
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def run(
    store: Store,
    kind: str,
    work: Work[T],
    *,
    undoable: bool = True,
    burst: str | None = None,
    preconditions: Sequence[Precondition] = (),
) -> OpResult[T]:
    """Run ``work`` as one operation named ``kind``; see the module docstring.

    ``undoable`` keeps what undo needs.  ``burst`` marks saves of one burst
    of typing: a save that continues the actor's last entry (same kind,
    same claims, same burst, nothing changed in between) is recorded as its
    own entry that *extends* the last, so one undo takes back the burst.
    """
    with store.transaction(capture=undoable) as tx:
        actor = current_actor(store)
        for check in preconditions:
            check(tx)
        ctx = OpContext(tx)
        value = work(ctx)
        payload: dict[str, object] | None = None
        extends: int | None = None
        if undoable:
            rows = tx.row_changes()
            if burst is not None:
                rows, extends = _continue_burst(store, actor, kind, ctx, rows, burst)
            if rows:
                from workbench.core.storage import changelog

                payload = {"rows": changelog.encode(rows), "burst": burst}
                if ctx.origin is not None:
                    payload["origin"] = ctx.origin
        entry = store.history.append(
            actor=actor,
            kind=kind,
            summary=ctx.summary or kind,
            article_id=ctx.article_id,
            claim_ids=sorted(ctx.claim_ids),
            reverts=ctx.reverts,
            extends=extends,
            undo=payload,
        )
        ctx.changes.entries.append(entry)
    for listener in list(_listeners):
        listener(store, ctx.changes)
    return OpResult(value, ctx.changes)


def _continue_burst(
    store: Store, actor: str, kind: str, ctx: OpContext, rows: list[RowChange], burst: str
) -> tuple[list[RowChange], int | None]:
    from workbench.core.storage import changelog

    last = store.history.latest(actor)
    if last is None or last.kind != kind or set(last.claim_ids) != ctx.claim_ids:
        return rows, None
    data = store.history.undo_data(last.id)
    if data is None or data.get("burst") != burst:
        return rows, None
    combined = changelog.compose(changelog.decode(data["rows"]), rows)
    if combined is None:
        return rows, None
    return combined, last.id


def current_actor(store: Store) -> str:
    """Who is making changes: ``--user``, else WORKBENCH_USER, else the checker
    name in settings, else the login name."""
    if store.actor:
        return store.actor
    env = os.environ.get(USER_ENV, "").strip()
    if env:
        return env
    return store.settings.checker_name() or login_name()


def login_name() -> str:
    try:
        return getpass.getuser() or UNKNOWN_ACTOR
    except (OSError, KeyError):  # no USER variables and no passwd entry (some containers)
        return UNKNOWN_ACTOR


PATIENT_WAIT_MS = 200
"""How long one attempt of :func:`patiently` waits for another program's lock."""

WAITING_LABEL = "waiting for another program…"


def patiently(
    call: Callable[[], T],
    *,
    on_waiting: Callable[[], None],
    is_cancelled: Callable[[], bool],
    wait_ms: int = PATIENT_WAIT_MS,
) -> T:
    """Run ``call`` (which writes), retrying for as long as another program holds the lock.

    Each attempt waits ``wait_ms`` for the lock; when it is still taken,
    ``on_waiting()`` is told (once) and the attempt is repeated, until it
    succeeds or ``is_cancelled()``.  The desktop app's database lane runs
    every operation this way: typing is never lost to a CLI import holding
    the lock, and the user sees why a save is late instead of an error after
    the ten-second wait the CLI uses.
    """
    from workbench.core.errors import CancelledError, DatabaseBusyError
    from workbench.core.storage.sqlite import lock_wait

    told = False
    while True:
        try:
            with lock_wait(wait_ms):
                return call()
        except DatabaseBusyError:
            if is_cancelled():
                raise CancelledError("cancelled while waiting for another program") from None
            if not told:
                told = True
                on_waiting()


def short(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for summaries)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes_of(result: object) -> Changes:
    """The change record in what a service returned (an OpResult, a report, or Changes)."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    if isinstance(changes, Changes):
        return changes
    return Changes()
