"""Bytes in, text out: how ingest reads files of unknown encoding, and refuses files that are no text.

A file is decoded by its byte order mark, else (HTML) by the charset it declares, else as UTF-8
where it is UTF-8 and Windows-1252 where it is not (a Latin-1 or cp1252 file, or a UTF-8 file
with a few Latin-1 bytes pasted in), byte by byte, so that everything that can be decoded
correctly is. Anything but clean UTF-8 comes with a note saying how it was read. Images,
archives, documents and executables are recognised by their signature and refused by name.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "DecodeError", "decode_bytes", "binary_kind"]

#: Signatures of common binary files (checked at the start of the data).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive (or .docx, .xlsx, .epub)"),
    (b"PK\x05\x06", "ZIP archive"), (b"\x1f\x8b", "gzip archive"), (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"), (b"\x7fELF", "executable"), (b"MZ\x90\x00", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"), (b"SQLite format 3\x00", "SQLite database"),
    (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"), (b"\x00asm", "WebAssembly module"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF = re.compile(rb"RIFF....(WEBP|WAVE|AVI )", re.S)
_MP4 = re.compile(rb"....ftyp", re.S)

#: Byte order marks, longest first (a UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
#: As browsers do (WHATWG): a page that says Latin-1 or ASCII is windows-1252; one that says UTF-16
#: but could be read as ASCII to find that out is not UTF-16.
_CHARSET_ALIASES = {**dict.fromkeys(["iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"], "cp1252"),
                    **dict.fromkeys(["utf-16", "utf-16le", "utf-16be"], "utf-8")}
#: A character beyond ASCII encoded as UTF-8: its absence from undecodable bytes means Windows-1252.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE = 65536
#: At most this share of a file's characters may be undecodable (U+FFFD) before it counts as no text.
MAX_UNDECODABLE = 0.05


class DecodeError(ValueError):
    """The bytes are no text (binary) or cannot be decoded; the message says which."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read with, and a note when that is not plain UTF-8."""

    text: str
    encoding: str
    note: str = ""


def binary_kind(data: bytes) -> str | None:
    """What binary file ``data`` starts like ("PNG image", "ZIP archive"...), or ``None``.

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n..."), binary_kind(b"Rebels seized the town.")
    ('PNG image', None)
    """
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if _BZIP2.match(data):
        return "bzip2 archive"
    if _RIFF.match(data):
        return "RIFF media file"
    if _MP4.match(data) and b"\x00" in data[:4]:
        return "MP4 or QuickTime media file"
    return None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as Windows-1252 (undefined ones as U+FFFD)."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("graph_builder.cp1252", _cp1252_fallback)


def _replaced(text: str, data: bytes, codec: str) -> int:
    """How many U+FFFD in ``text`` (``data`` decoded leniently with ``codec``) stand for undecodable bytes."""
    return text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` looks like UTF-16 text without a byte order mark."""
    sample = data[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str, note: str, replaced: int = 0) -> Decoded:
    """``Decoded``, unless the text is mostly control characters or undecodable bytes (no text)."""
    sample = text[:_SAMPLE]
    if len(_BINARY_CONTROLS.findall(sample)) > max(2, len(sample) // 50):
        raise DecodeError("binary file (control characters), not text")
    if replaced > max(2, MAX_UNDECODABLE * len(text)):
        raise DecodeError(f"binary or undecodable file: {replaced} of {len(text)} characters cannot be decoded")
    if replaced:
        replacement = f"{replaced} undecodable byte{'s' * (replaced > 1)} replaced with U+FFFD"
        note = "; ".join(filter(None, (note, replacement)))
    return Decoded(text, encoding, note)


def _lenient(data: bytes, codec: str, note: str) -> Decoded:
    """``data`` decoded with ``codec``, bytes that are not replaced with U+FFFD (and counted)."""
    text = data.decode(codec, errors="replace")
    return _checked(text, codec, note, _replaced(text, data, codec))


def decode_bytes(data: bytes, *, html: bool = False) -> Decoded:
    """Decode a file's bytes as well as they can be; raise ``DecodeError`` for binary files.

    >>> decode_bytes("Café".encode("utf-8")).text, decode_bytes("Café".encode("cp1252")).note
    ('Café', 'not UTF-8: read as Windows-1252')
    >>> d = decode_bytes("Café ".encode("utf-8") + "naïve".encode("latin-1"))
    >>> d.text, d.encoding
    ('Café naïve', 'utf-8+cp1252')
    """
    kind = binary_kind(data)
    if kind is not None:
        raise DecodeError(f"binary file ({kind}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _lenient(data, codec, "" if codec == "utf-8-sig" else f"read as {codec.upper()} (byte order mark)")
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise DecodeError("binary file (contains NUL bytes), not text")
        return _lenient(data, codec, f"read as {codec.upper()} (no byte order mark)")
    declared = _META_CHARSET.search(data[:_SAMPLE]) if html else None
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = _CHARSET_ALIASES.get(name, name)
        try:
            if codec not in ("utf-8", "utf8"):
                return _checked(data.decode(codec), codec, f"read as {codec} (declared {name})")
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return _checked(data.decode("utf-8"), "utf-8", "")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="graph_builder.cp1252")
    replaced = _replaced(text, data, "utf-8")
    if _UTF8_MULTIBYTE.search(data) is None:
        return _checked(text, "cp1252", "not UTF-8: read as Windows-1252", replaced)
    return _checked(text, "utf-8+cp1252", "not all UTF-8: the bytes that are not were read as Windows-1252", replaced)
