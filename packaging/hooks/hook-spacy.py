"""spaCy for the bundle: its code and data, without its tests and other languages.

Replaces the community hook (which takes every submodule): the app runs the
English pipeline only, so of ``spacy.lang`` it keeps the shared modules,
``en`` and ``xx`` (multi-language, which the registry may import), and
leaves out ``spacy.tests``.  spaCy's registered functions resolve through
``catalogue`` at run time; their modules are all kept.
"""

from importlib.util import find_spec
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

_spec = find_spec("spacy")
_LANG = Path(next(iter(_spec.submodule_search_locations))) / "lang"
_KEPT_LANGUAGES = {"en", "xx"}


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    if len(parts) > 2 and parts[1] == "lang" and (_LANG / parts[2]).is_dir():
        return parts[2] in _KEPT_LANGUAGES
    return True


hiddenimports = collect_submodules("spacy", filter=_wanted)
_other = [p.name for p in _LANG.iterdir() if p.is_dir() and p.name not in _KEPT_LANGUAGES]
datas = collect_data_files("spacy", excludes=["tests/**", *(f"lang/{code}/**" for code in _other)])
