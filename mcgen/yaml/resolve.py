"""What a plain (unquoted, untagged) scalar means to each YAML reader Kubernetes tools use.

- `goyaml_v2`: gopkg.in/yaml.v2 as sigs.k8s.io/yaml runs it (its `goyaml.v2` fork's
  resolve.go, decoding into `interface{}`), which kubectl, the API server's YAML path,
  Flux, Argo CD and kubeconform read manifests with. This is mcgen's reading of manifests.
- `goyaml_v3`: gopkg.in/yaml.v3 (kyaml, so kustomize): YAML 1.2 booleans, same numbers.
- `yaml11`: a YAML 1.1 reader as PyYAML implements it.
- `yaml12`: a YAML 1.2 core-schema reader as ruamel.yaml implements it.

Values come back as Python's JSON-like types: None, bool, int, float (possibly infinite or
NaN: the caller refuses those, JSON has neither) or str. docs/yaml.md has the table.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import yaml

from mcgen.yaml.fastsource import core_kind

_V2_MAP: dict[str, object] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF"), False),
}
_V3_MAP: dict[str, object] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_V2_MAP.update(_V3_MAP)
_HINTS = frozenset("+-0123456789yYnNtTfFoO~.")
# resolve.go's yamlStyleFloat, matched against the text with underscores removed.
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# What Go's strconv.ParseFloat takes from a text that starts with `.` (underscores only
# between digits, as its underscoreOK says).
_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?\Z")
_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1


class _Parsed(NamedTuple):
    value: int | None
    error: str  # "" when parsed, else "syntax" or "range" as Go's strconv says


def _digits(text: str, base: int) -> int | None:
    """`text` as digits of `base` (no sign, no prefix), as Go's ParseUint loop reads them."""
    if base == 8 and text == "":
        return 0  # "0" alone: Go takes the 0 as an octal prefix with no digits after
    if not text or not all(c in "0123456789abcdefghijklmnopqrstuvwxyz" for c in text.lower()):
        return None
    try:
        return int(text, base)
    except ValueError:
        return None


def _parse_uint(text: str, base: int) -> _Parsed:
    """Go's strconv.ParseUint(text, base, 64); base 0 reads the 0b/0o/0x/0 prefixes."""
    if not text:
        return _Parsed(None, "syntax")
    if base == 0:
        base, text = _prefix(text)
    value = _digits(text, base)
    if value is None:
        return _Parsed(None, "syntax")
    return _Parsed(value, "") if value <= _UINT64_MAX else _Parsed(None, "range")


def _prefix(text: str) -> tuple[int, str]:
    if text[0] != "0":
        return 10, text
    if len(text) >= 3 and text[1] in "bBoOxX":
        return {"b": 2, "o": 8, "x": 16}[text[1].lower()], text[2:]
    return 8, text[1:]


def _parse_int(text: str, base: int) -> _Parsed:
    """Go's strconv.ParseInt(text, base, 64): an optional sign, then ParseUint."""
    negative = text[:1] == "-"
    body = text[1:] if text[:1] in "+-" else text
    parsed = _parse_uint(body, base)
    if parsed.value is None:
        return parsed
    value = -parsed.value if negative else parsed.value
    return _Parsed(value, "") if _INT64[0] <= value <= _INT64[1] else _Parsed(None, "range")


def _go_float(text: str) -> float | None:
    """Go's strconv.ParseFloat for the decimal forms reaching it here; None past float64."""
    value = float(text)
    return None if math.isinf(value) else value


def _number_v2(text: str) -> object:
    """resolve.go's 'D' and 'S' branch (digits and signs): int, then uint, float, 0b."""
    plain = text.replace("_", "")
    signed = _parse_int(plain, 0)
    if signed.value is not None:
        return signed.value
    unsigned = _parse_uint(plain, 0)
    if unsigned.value is not None:
        return unsigned.value
    if _YAML_STYLE_FLOAT.match(plain):
        value = _go_float(plain)
        if value is not None:
            return value
    binary = _binary(plain)
    if binary is not None:
        return binary
    if unsigned.error == "range":  # big.Int.SetString(plain, 0): valid digits, too many
        return int(_prefix(plain)[1] or "0", _prefix(plain)[0])
    return text


def _binary(plain: str) -> int | None:
    """resolve.go's own 0b and -0b branches, which take a sign after the prefix."""
    if plain.startswith("0b"):
        found = _parse_int(plain[2:], 2)
        if found.value is not None:
            return found.value
        unsigned = _parse_uint(plain[2:], 2)
        return unsigned.value
    if plain.startswith("-0b"):
        return _parse_int("-" + plain[3:], 2).value
    return None


def _resolve_go(text: str, table: dict[str, object]) -> object:
    if text and text[0] not in _HINTS:
        return text
    if text in table:
        return table[text]
    if text[0] == ".":
        value = _go_float(text) if _DOT_FLOAT.match(text) else None
        return text if value is None else value
    if text[0] in "+-0123456789":
        # A timestamp (YYYY-...) is a string once decoded into interface{}; it is never a
        # number either, so the number branch below gives the same string.
        return _number_v2(text)
    return text


@lru_cache(maxsize=65536)
def goyaml_v2(text: str) -> object:
    """A plain scalar as gopkg.in/yaml.v2 (under sigs.k8s.io/yaml) resolves it."""
    if text == "<<":
        return "<<"  # the merge tag; as a value it decodes to the text
    return _resolve_go(text, _V2_MAP)


@lru_cache(maxsize=65536)
def goyaml_v3(text: str) -> object:
    """A plain scalar as gopkg.in/yaml.v3 (kyaml) resolves it."""
    if text == "<<":
        return "<<"
    value = _resolve_go(text, _V3_MAP)
    if value == text and isinstance(value, str):
        return _octal_v3(text)
    return value


def _octal_v3(text: str) -> object:
    """v3's 0o and -0o branches (a sign after the prefix, as for 0b)."""
    plain = text.replace("_", "")
    if plain.startswith("0o"):
        found = _parse_int(plain[2:], 8)
        if found.value is not None:
            return found.value
        unsigned = _parse_uint(plain[2:], 8)
        return text if unsigned.value is None else unsigned.value
    if plain.startswith("-0o"):
        found = _parse_int("-" + plain[3:], 8)
        return text if found.value is None else found.value
    return text


class _Other(NamedTuple):
    """A meaning that is not a plain string, named by its kind (`int`, `timestamp`...)."""

    kind: str


_YAML11_RESOLVER = yaml.resolver.Resolver()


@lru_cache(maxsize=65536)
def yaml11(text: str) -> object:
    """A plain scalar as PyYAML's YAML 1.1 resolver types it: the text, or its kind."""
    tag = _YAML11_RESOLVER.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, text, (True, False))
    return text if tag == "tag:yaml.org,2002:str" else _Other(tag.rsplit(":", 1)[-1])


@lru_cache(maxsize=65536)
def yaml12(text: str) -> object:
    """A plain scalar under ruamel.yaml's YAML 1.2 resolver: the text, or its kind."""
    kind = core_kind(text)
    return text if kind is None else _Other(kind)


Reader = Callable[[str], object]
READERS: dict[str, Reader] = {
    "goyaml.v2": goyaml_v2,
    "goyaml.v3": goyaml_v3,
    "YAML 1.1": yaml11,
    "YAML 1.2": yaml12,
}


@lru_cache(maxsize=65536)
def plain_is_string_everywhere(text: str) -> bool:
    """Whether every reader takes `text`, written plain, as exactly this string."""
    return all(reader(text) == text and isinstance(reader(text), str)
               for reader in READERS.values())


def meanings(text: str) -> dict[str, str]:
    """What each reader makes of plain `text`, for messages: `{'goyaml.v2': 'bool true'}`."""
    return {name: describe(reader(text)) for name, reader in READERS.items()}


def describe(value: object) -> str:
    if isinstance(value, _Other):
        return value.kind
    if isinstance(value, str):
        return f"string {value!r}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"bool {str(value).lower()}"
    return f"{type(value).__name__} {value!r}"


_FLOAT32_MAX = 3.4028234663852886e38


def json_key(value: object) -> str | None:
    """A mapping key as sigs.k8s.io/yaml's convertToJSONableObject turns it into JSON text,
    or None where it refuses the key (null, past int64, not a scalar)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if _INT64[0] <= value <= _INT64[1] else None
    if isinstance(value, float):
        return go_float32_g(value)
    return None


def go_float32_g(value: float) -> str:
    """Go's strconv.FormatFloat(value, 'g', -1, 32), spelled `.inf`/`.nan` as sigs.k8s.io/yaml
    spells them: the shortest digits that read back as the same float32."""
    if math.isnan(value):
        return ".nan"
    single = _float32(value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    digits, exponent = _shortest32(single)
    sign = "-" if math.copysign(1.0, single) < 0 else ""
    if exponent < -4 or exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    point = exponent + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _float32(value: float) -> float:
    if abs(value) > _FLOAT32_MAX * (1 + 2**-25):
        return math.copysign(math.inf, value)
    return float(struct.unpack("f", struct.pack("f", value))[0])


def _shortest32(single: float) -> tuple[str, int]:
    """Significant digits (no trailing zeros) and decimal exponent of a float32's shortest form."""
    for precision in range(1, 10):
        text = f"{abs(single):.{precision - 1}e}"
        if _float32(float(text)) == abs(single):
            break
    mantissa, exponent = text.split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return digits, int(exponent) if digits != "0" else 0


def kind_of(value: object) -> str:
    """A reading's kind: string, bool, null, number, or the YAML kind it names."""
    if isinstance(value, _Other):
        return "number" if value.kind in ("int", "float") else value.kind
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "bool" if isinstance(value, bool) else "number"


def kubernetes_readers_disagree(text: str) -> bool:
    """Whether plain `text` is not a string to kubectl (goyaml.v2) or kustomize (goyaml.v3)
    while some reader takes it as one: a value whose meaning depends on the reader."""
    kinds = {name: kind_of(reader(text)) for name, reader in READERS.items()}
    go = {kinds["goyaml.v2"], kinds["goyaml.v3"]}
    return go != {"string"} and "string" in kinds.values()
