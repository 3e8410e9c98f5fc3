"""Evidence sources: URL checks, safe fetching, text extraction, excerpt
verification, snapshot diffs, Wayback addresses and display sanitizing.

Qt-free and free of storage: the services in ``workbench.core.services.sources``
combine these with the store.
"""
