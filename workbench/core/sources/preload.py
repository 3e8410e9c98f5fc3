"""Load the fetching and extraction libraries once, without stalling the UI.

The TLS context (with its certificate bundle), trafilatura (with its
per-language stop-word tables) and pypdf are loaded lazily, on the first
fetch of a session.  Importing them adds tens
of thousands of long-lived objects, and Python's cyclic garbage collector
then walks all of them in every later full collection, holding the GIL the
whole time.  The attach benchmark measured such collections stalling a 10 ms
Qt heartbeat for 250-500 ms on this project's 2-core machines.

So the first load runs with the collector paused and ends with
:func:`gc.freeze`, which moves every object alive at that point (the
libraries' modules, tables and compiled patterns, and whatever the app had
already loaded) to a permanent generation that later collections skip.
Objects created afterwards are collected normally.  The cost is that cyclic
garbage existing at that instant is never reclaimed: a few kilobytes at most,
once per process.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_loaded = False


def load_extractors() -> None:
    """Import and initialize the fetch/extract libraries (idempotent, thread-safe).

    Call it from a worker thread (the services do, before fetching), never
    from the UI thread: it takes about a second of CPU the first time.
    """
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            _import_and_initialize()
            gc.freeze()
        finally:
            if was_enabled:
                gc.enable()
        _loaded = True


def _import_and_initialize() -> None:
    import pypdf  # noqa: F401
    import trafilatura.external

    from workbench.core.sources.extract import extract_page
    from workbench.core.sources.wire import tls_context

    tls_context()  # loads the certificate bundle once, off the UI thread

    # trafilatura builds its stop-word table (all languages, ~100k words) the
    # first time its justext fallback runs, loads the public-suffix list the
    # first time it sees a URL, and compiles patterns on first use: do all of
    # it here.  The table builder is internal API, hence getattr.
    if getattr(trafilatura.external, "JT_STOPLIST", True) is None:
        init = getattr(trafilatura.external, "jt_stoplist_init", None)
        if callable(init):
            init()
    try:  # the public-suffix table courlan consults for unusual hosts
        import tld

        tld.get_tld("http://127.0.0.1/", fail_silently=True)
    except ImportError:
        pass
    # A short article makes trafilatura compare its result with justext's,
    # which builds (and caches) the lower-cased stop-word set.
    extract_page(
        "<html><head><title>Warm-up</title></head><body><nav>Home</nav><article>"
        "<p>This sentence exists only to warm up the extractor before the first fetch.</p>"
        "<p>It is never shown, stored or compared with anything the user attached.</p>"
        "</article><footer>End</footer></body></html>",
        url="https://example.com/warm-up",
    )
