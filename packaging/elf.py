"""Just enough ELF reading to trim and check a Linux bundle.

Two questions, answered from the file itself rather than with ``ldd``
(which reports dependencies of dependencies, resolved on the build
machine) or ``readelf`` (binutils may be missing):

- which libraries does this file link directly (``DT_NEEDED``)?
- does it carry debug information (a ``.debug_info`` section)?
"""

from __future__ import annotations

import struct
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
SHT_DYNAMIC = 6
DT_NULL = 0
DT_NEEDED = 1


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == ELF_MAGIC
    except OSError:
        return False


class Elf:
    """Section headers of one ELF file (32 or 64 bit, either byte order)."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        if self.data[:4] != ELF_MAGIC:
            raise ValueError(f"{path} is not an ELF file")
        self.is64 = self.data[4] == 2
        self.order = "<" if self.data[5] == 1 else ">"
        if self.is64:
            (shoff,) = struct.unpack_from(self.order + "Q", self.data, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from(self.order + "HHH", self.data, 0x3A)
        else:
            (shoff,) = struct.unpack_from(self.order + "I", self.data, 0x20)
            shentsize, shnum, shstrndx = struct.unpack_from(self.order + "HHH", self.data, 0x2E)
        self.sections = [self._section(shoff + i * shentsize) for i in range(shnum)]
        names = self.sections[shstrndx] if shstrndx < len(self.sections) else None
        self.names = [
            self._string(names["offset"], s["name"]) if names else "" for s in self.sections
        ]

    def _section(self, at: int) -> dict[str, int]:
        if self.is64:
            name, kind, _flags, _addr, offset, size, link, _info, _align, entsize = (
                struct.unpack_from(self.order + "IIQQQQIIQQ", self.data, at)
            )
        else:
            name, kind, _flags, _addr, offset, size, link, _info, _align, entsize = (
                struct.unpack_from(self.order + "IIIIIIIIII", self.data, at)
            )
        return {
            "name": name,
            "type": kind,
            "offset": offset,
            "size": size,
            "link": link,
            "entsize": entsize,
        }

    def _string(self, table_offset: int, index: int) -> str:
        start = table_offset + index
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def needed(self) -> list[str]:
        """The sonames this file links directly, in order."""
        found: list[str] = []
        fmt = self.order + ("qQ" if self.is64 else "iI")
        step = struct.calcsize(fmt)
        for section in self.sections:
            if section["type"] != SHT_DYNAMIC:
                continue
            strtab = self.sections[section["link"]]["offset"]
            for at in range(section["offset"], section["offset"] + section["size"], step):
                tag, value = struct.unpack_from(fmt, self.data, at)
                if tag == DT_NULL:
                    break
                if tag == DT_NEEDED:
                    found.append(self._string(strtab, value))
        return found

    def has_debug_info(self) -> bool:
        return ".debug_info" in self.names


def needed(path: Path) -> list[str]:
    """``DT_NEEDED`` of ``path``; empty for a file that is not ELF."""
    if not is_elf(path):
        return []
    return Elf(path).needed()
