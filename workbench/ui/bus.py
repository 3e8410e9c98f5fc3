"""One signal that carries every change, so views refresh only what they must.

Only the operation runner (:class:`~workbench.ui.ops.OpRunner`) emits here:
every operation returns a :class:`~workbench.core.model.Changes` record and
the runner broadcasts it once the operation has committed; the models
listening decide for themselves whether the change concerns them.  That
keeps panels ignorant of each other (the architecture guide, section 2),
and no panel can forget to announce a change it made.
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
        """Emit ``changes`` unless it is empty (an empty record would only cost repaints).

        Called by the operation runner only.
        """
        if not changes.is_empty():
            self.changed.emit(changes)
