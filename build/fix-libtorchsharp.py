#!/usr/bin/env python3
"""Marks a version requirement of an ELF64 shared library weak (VER_FLG_WEAK in .gnu.version_r).

Why: TorchSharp 0.107.0's libLibTorchSharp.so is linked against GCC 13 and lists GLIBCXX_3.4.32 as a
required libstdc++ version, but only for one symbol (_ZSt21ios_base_library_init) that it never
relocates. Debian 12 ships libstdc++ up to GLIBCXX_3.4.30, so the dynamic loader refuses the library
("version `GLIBCXX_3.4.32' not found") and every TorchSharp call fails with a TypeInitializationException.
A weak requirement is only warned about when missing, so the library then loads; on hosts whose
libstdc++ has the version (Ubuntu 24.04, .NET 10 container images) the flag changes nothing.

Usage: fix-libtorchsharp.py [--version GLIBCXX_3.4.32] [--check] FILE_OR_DIR...
  A directory is searched recursively for libLibTorchSharp.so.
  --check  only report; exit 1 when some file still needs the patch.

The patch is idempotent, touches two bytes, keeps the file's timestamps (so MSBuild's incremental
copy, which compares size and time, does not copy the unpatched package file over it again) and
never writes through a hard link or symlink (so the copy in the NuGet package cache stays pristine).
"""

import os
import shutil
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2
DEFAULT_VERSION = "GLIBCXX_3.4.32"
LIBRARY_NAME = "libLibTorchSharp.so"


class ElfError(Exception):
    pass


def _read(f, offset, size):
    f.seek(offset)
    data = f.read(size)
    if len(data) != size:
        raise ElfError(f"truncated file: wanted {size} bytes at {offset}")
    return data


def _cstring(f, offset):
    f.seek(offset)
    out = bytearray()
    while True:
        chunk = f.read(64)
        if not chunk:
            raise ElfError("unterminated string in .dynstr")
        zero = chunk.find(b"\0")
        if zero >= 0:
            out += chunk[:zero]
            return out.decode("ascii", "replace")
        out += chunk


def find_vernaux(f, version):
    """Returns [(offset_of_vna_flags, flags)] for every Vernaux entry named `version`."""
    ident = _read(f, 0, 16)
    if ident[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if ident[4] != 2 or ident[5] != 1:
        raise ElfError("only ELF64 little-endian is supported")
    e_shoff, = struct.unpack("<Q", _read(f, 0x28, 8))
    e_shentsize, e_shnum = struct.unpack("<HH", _read(f, 0x3A, 4))
    if e_shoff == 0 or e_shnum == 0:
        raise ElfError("no section headers")

    sections = []
    for i in range(e_shnum):
        raw = _read(f, e_shoff + i * e_shentsize, 64)
        _, sh_type, _, _, sh_offset, sh_size, sh_link, sh_info = struct.unpack("<IIQQQQII", raw[:48])
        sections.append((sh_type, sh_offset, sh_size, sh_link, sh_info))

    hits = []
    for sh_type, sh_offset, sh_size, sh_link, sh_info in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = sections[sh_link][1]
        need = sh_offset
        for _ in range(sh_info):  # sh_info = number of Verneed entries
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack("<HHIII", _read(f, need, 16))
            aux = need + vn_aux
            for _ in range(vn_cnt):
                _, vna_flags, _, vna_name, vna_next = struct.unpack("<IHHII", _read(f, aux, 16))
                if _cstring(f, strtab + vna_name) == version:
                    hits.append((aux + 4, vna_flags))
                if vna_next == 0:
                    break
                aux += vna_next
            if vn_next == 0:
                break
            need += vn_next
    return hits


def _detach(path):
    """Replaces a hard-linked or symlinked file by a private copy so the patch cannot reach the source."""
    st = os.lstat(path)
    if not os.path.islink(path) and st.st_nlink <= 1:
        return
    real = os.stat(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".fix-", dir=directory)
    os.close(fd)
    try:
        shutil.copyfile(path, tmp)
        os.chmod(tmp, real.st_mode & 0o7777)
        os.utime(tmp, ns=(real.st_atime_ns, real.st_mtime_ns))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def patch_file(path, version, check_only):
    """Returns 'patched', 'already-weak', 'needs-patch' (check mode) or 'no-requirement'."""
    with open(path, "rb") as f:
        hits = find_vernaux(f, version)
    if not hits:
        return "no-requirement"
    pending = [(off, flags) for off, flags in hits if not flags & VER_FLG_WEAK]
    if not pending:
        return "already-weak"
    if check_only:
        return "needs-patch"
    _detach(path)
    st = os.stat(path)
    with open(path, "r+b") as f:
        for off, flags in pending:
            f.seek(off)
            f.write(struct.pack("<H", flags | VER_FLG_WEAK))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return "patched"


def _targets(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                if LIBRARY_NAME in files:
                    yield os.path.join(root, LIBRARY_NAME)
        elif os.path.exists(p):
            yield p


def main(argv):
    version = DEFAULT_VERSION
    check_only = False
    paths = []
    args = iter(argv)
    for a in args:
        if a == "--version":
            version = next(args, None)
            if not version:
                print("--version needs a value", file=sys.stderr)
                return 2
        elif a == "--check":
            check_only = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            paths.append(a)
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2

    status = 0
    for path in _targets(paths):
        try:
            result = patch_file(path, version, check_only)
        except (ElfError, OSError) as e:
            print(f"fix-libtorchsharp: {path}: {e}", file=sys.stderr)
            return 3
        if result == "needs-patch":
            status = 1
        if result in ("patched", "needs-patch") or check_only:
            print(f"fix-libtorchsharp: {path}: {result} ({version})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
