"""Settings kept in the database (memo name, paper size, scorer, spaCy model)."""

from __future__ import annotations

from dataclasses import fields

from workbench.core.model import Settings
from workbench.core.services import operations
from workbench.core.services.operations import OpContext, OpResult
from workbench.core.storage import Store


def load_settings(store: Store) -> Settings:
    return store.settings.load()


def save_settings(store: Store, settings: Settings) -> OpResult[Settings]:
    """Save every setting in one transaction, recorded in the history (not undoable)."""

    def work(op: OpContext) -> Settings:
        before = store.settings.load()
        store.settings.save(settings)
        changed = [
            f.name for f in fields(Settings) if getattr(before, f.name) != getattr(settings, f.name)
        ]
        op.describe("change settings: " + (", ".join(changed) if changed else "nothing"))
        return store.settings.load()

    return operations.run(store, "settings", work, undoable=False)
