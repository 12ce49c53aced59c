"""Which text encoding a CSV file is in, and its text: detected, or named by the user.

Rules, in order (:func:`decode_text`):

1. A byte-order mark decides (UTF-8 with BOM, UTF-16 LE/BE).
2. A file holding NUL bytes without a UTF-16 BOM is binary and refused.
3. An encoding named by the user (``--encoding``, a mapping's ``encoding``) is used strictly:
   a byte it cannot decode is an error naming the line, and text that reads as mojibake in it
   (see below) is refused, naming the encoding the bytes look like instead.
4. Bytes that are valid UTF-8 are UTF-8 (a UTF-8 file cut inside its last character stays
   UTF-8; the cut-off row is flagged by the reader's truncation check).
5. Otherwise charset-normalizer (a maintained detector) ranks the encodings that decode the
   lines holding non-ASCII bytes by how garbled the result looks ("chaos"). When its first
   choice is a multi-byte encoding (CP949 for Korean Excel, CP932 for Japanese, GB18030 for
   Chinese, Big5, ...), that is used. Otherwise Windows-1252 (what Excel writes on Western
   Windows: 'München', '€5m') is used when it decodes and its reading is not mojibake, or
   when the non-ASCII text is too short for the detector to tell single-byte encodings apart
   (fewer than 32 characters); else the detector's single-byte choice (CP1251 for Russian,
   ...). Single-byte encodings that read alike as Windows-1252 (CP1254 for Turkish 'Ş') are
   read as Windows-1252: name them with ``--encoding``. The whole file must then decode
   strictly, or the next candidate is tried.
6. When no encoding decodes the file into readable text, the file is refused with one line
   naming it: nothing is loaded as mojibake. So is a file mixing UTF-8 lines that read as
   clean text with lines that are not UTF-8 (rows appended by different tools, or a UTF-8
   file with a damaged line): any single encoding garbles one part or the other.

"Mojibake" is charset-normalizer's mess ratio (a share of suspicious characters: symbols
between letters, mixed scripts inside a word, ...) above :data:`MAX_CHAOS`, measured on the
lines holding non-ASCII characters when they hold at least 32 of them (CP949 bytes read
as Windows-1252 give '¾÷½ºÅ×ÀÌÁö', ratio above 1).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio
from charset_normalizer.utils import is_multi_byte_encoding

from vcflows.errors import InputFileError, OptionError

#: Mess ratio above which decoded text is mojibake (charset-normalizer's own default cut-off).
MAX_CHAOS = 0.2
#: The encoding preferred among equally clean single-byte readings.
WESTERN = "cp1252"
#: At most this many bytes of non-ASCII lines are given to the detector / the mess check.
_SAMPLE_BYTES = 1 << 20
#: Fewer non-ASCII characters than this cannot tell single-byte encodings apart.
_SHORT = 32
#: The encodings detection chooses among: the Windows code pages Excel and deal databases
#: write, and the East Asian standards they extend. Rare encodings (Johab, ISO-2022, HZ, ...)
#: would read short samples of other bytes as plausible-looking text; name them explicitly.
DETECTABLE: tuple[str, ...] = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "koi8_r", "cp949", "euc_kr", "cp932", "shift_jis", "euc_jp", "gb18030", "gbk",
    "big5", "big5hkscs",
)  # fmt: skip


def check_encoding(name: str) -> str:
    """Validate an encoding name and return Python's canonical name for it.

    Parameters
    ----------
    name : str
        Any name Python's codecs know (``"cp949"``, ``"euc-kr"``, ``"Shift_JIS"``, ...).

    Returns
    -------
    str
        The codec's canonical name (``"cp949"``, ``"euc_kr"``, ``"shift_jis"``).

    Raises
    ------
    OptionError
        For a name that is no text encoding.
    """
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, AttributeError):
        raise OptionError(
            f"encoding: unknown encoding {name!r} (e.g. utf-8, cp949, euc-kr, cp932, gb18030)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise OptionError(f"encoding: {name!r} is not a text encoding")
    return info.name


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _non_ascii_lines(data: bytes) -> bytes:
    """The lines holding bytes >= 0x80 (what tells encodings apart), up to the sample size."""
    out: list[bytes] = []
    size = 0
    for line in data.splitlines(keepends=True):
        if not line.isascii():
            out.append(line)
            size += len(line)
            if size >= _SAMPLE_BYTES:
                break
    return b"".join(out)


def _chaos(text: str) -> float:
    """Mess ratio of the non-ASCII lines of ``text`` (0 when too short to judge)."""
    sample = "".join(ln for ln in text.splitlines(keepends=True)[:20000] if not ln.isascii())
    if sum(not ch.isascii() for ch in sample) < _SHORT:
        return 0.0  # a few symbols ('€5m') read as "messy" on their own
    return mess_ratio(sample[:_SAMPLE_BYTES], 1.0)


def _mixed(data: bytes) -> tuple[int, int] | None:
    """A line of clean UTF-8 text and a line not UTF-8 at all, if the file has both."""
    utf8_line = other_line = 0
    utf8_text: list[str] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
            continue
        utf8_line = utf8_line or number
        if sum(map(len, utf8_text)) < _SAMPLE_BYTES:
            utf8_text.append(text + "\n")
    # Bytes of another encoding are valid UTF-8 only by chance, and then read as gibberish.
    if utf8_line and other_line and mess_ratio("".join(utf8_text), 1.0) <= MAX_CHAOS:
        return utf8_line, other_line
    return None


def _detect(data: bytes) -> list[str]:
    """Candidate encodings of non-UTF-8 bytes, best first (empty: only mojibake)."""
    sample = _non_ascii_lines(data)
    matches = [
        m.encoding for m in from_bytes(sample, threshold=MAX_CHAOS, cp_isolation=list(DETECTABLE))
    ]
    if matches and is_multi_byte_encoding(matches[0]):
        return matches  # CP949, CP932, GB18030, Big5, ...: Windows-1252 would read mojibake
    try:
        western = sample.decode(WESTERN)
    except UnicodeDecodeError:
        return matches
    short = sum(not ch.isascii() for ch in western) < _SHORT
    if short or mess_ratio(western, 1.0) <= MAX_CHAOS:
        return [WESTERN, *matches]
    return matches  # its reading is mojibake


def decode_text(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode the bytes of a CSV file by the module's rules.

    Parameters
    ----------
    path : Path
        The file (named in errors).
    data : bytes
        Its content.
    encoding : str, optional
        An encoding named by the user; ``None`` detects it.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding used (Python codec name).

    Raises
    ------
    InputFileError
        For binary content, bytes the named encoding cannot decode (with the line), or text
        that reads only as mojibake (one line, naming the file).
    """
    bom = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom = "utf-16"
    if bom is not None:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise InputFileError(
                str(path), f"undecodable bytes at line {_line_of(data, exc.start)} ({exc})"
            ) from None
    if b"\x00" in data:
        raise InputFileError(str(path), "binary content (NUL bytes); not a text CSV file")
    if encoding is not None:
        return _decode_named(path, data, check_encoding(encoding)), check_encoding(encoding)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            # A UTF-8 file cut inside its last character (truncated copy) is still UTF-8:
            # decoding it all in another encoding would garble every row.
            return data[: exc.start].decode("utf-8") + "\ufffd", "utf-8"
        first_bad = exc.start
    mixed = _mixed(data)
    if mixed is not None:
        raise InputFileError(
            str(path),
            f"mixed encodings: line {mixed[0]} is UTF-8 text, line {mixed[1]} is not (a "
            "damaged line, or rows written by different tools?); save it in one encoding",
        )
    for candidate in _detect(data):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue  # the detector saw a sample; the whole file must decode
    raise InputFileError(
        str(path),
        f"not UTF-8 (first at line {_line_of(data, first_bad)}) and no encoding reads it as "
        "text rather than mojibake; name it with --encoding (e.g. cp949, cp932, gb18030)",
    )


def _decode_named(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(
            str(path),
            f"line {_line_of(data, exc.start)}: bytes {data[exc.start : exc.end]!r} are not "
            f"valid {encoding}",
        ) from None
    if _chaos(text) > MAX_CHAOS:
        likely = next(iter(_detect(data)), None) if not data.isascii() else None
        hint = f"; the bytes look like {likely}" if likely and likely != encoding else ""
        raise InputFileError(str(path), f"decoded as {encoding} the text reads as mojibake{hint}")
    return text
