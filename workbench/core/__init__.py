"""The Qt-free core: model, storage, NLP, sources, export and the services on top.

Nothing under this package may import Qt; the CLI and the unit tests rely on it.
"""
