"""Use cases shared by the CLI and the GUI.

A package rather than the single ``services.py`` of the architecture guide:
each capability (articles, claims, sources, export, search) has its own small
module, so that modules stay small and engineers working in parallel do not
edit one file.  Every mutating service is an operation
(:mod:`.operations`): one transaction, one history entry, and a
:class:`~workbench.core.model.Changes` record in what it returns.
"""
