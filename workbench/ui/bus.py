"""One signal that carries every change, so views refresh only what they must.

Each panel that calls a mutating service (directly or through an undo
command) emits the returned :class:`~workbench.core.model.Changes` here; the
models listening decide for themselves whether the change concerns them.
That keeps panels ignorant of each other (the architecture guide, section 2).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from workbench.core.model import Changes


class ChangeBus(QObject):
    """Broadcasts :class:`Changes` records.

    Signals:
        changed(Changes): something was written; listeners refresh what it names.
    """

    changed = Signal(object)

    def emit_changes(self, changes: Changes) -> None:
        """Emit ``changes`` unless it is empty (an empty record would only cost repaints)."""
        if not changes.is_empty():
            self.changed.emit(changes)
