"""A small sRGB ICC profile (version 2), built from the numbers in IEC 61966-2-1.

PDF/A needs an output intent with an ICC profile for the DeviceRGB colours ReportLab writes.
Building the profile here keeps it out of the repository as a binary blob and off the network:
the header, the sRGB primaries (already adapted to the D50 connection space, as ICC v2
profiles state them), the D65 media white point, and the sRGB tone curve sampled at 256
points. The result is about 1 KB and never changes, so output stays byte-identical.
"""

from __future__ import annotations

import struct
from functools import cache

#: sRGB primaries, Bradford-adapted to D50, as every sRGB ICC profile states them.
_RED = (0.436066, 0.222488, 0.013916)
_GREEN = (0.385147, 0.716873, 0.097076)
_BLUE = (0.143066, 0.060608, 0.714096)
#: The media white point of a display profile is its own white: D65.
_D65 = (0.950455, 1.0, 1.089050)
#: The profile connection space's illuminant, fixed by the ICC specification.
_D50 = (0.964203, 1.0, 0.824905)
#: Samples of the tone curve; linear interpolation between them stays within 0.1 %.
_CURVE_POINTS = 256

DESCRIPTION = "sRGB IEC61966-2.1"


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15f16(v) for v in values)


def _srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _curve() -> bytes:
    samples = [
        round(_srgb_to_linear(i / (_CURVE_POINTS - 1)) * 65535) for i in range(_CURVE_POINTS)
    ]
    return b"curv\0\0\0\0" + struct.pack(f">I{_CURVE_POINTS}H", _CURVE_POINTS, *samples)


def _description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    # textDescriptionType: ASCII, then empty Unicode and ScriptCode parts (67 bytes reserved).
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">II", 0, 0)
        + struct.pack(">HB", 0, 0)
        + bytes(67)
    )


def _text(text: str) -> bytes:
    return b"text\0\0\0\0" + text.encode("ascii") + b"\0"


def _pad(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


@cache
def srgb_profile() -> bytes:
    """The profile's bytes: a display-class RGB profile with XYZ connection space."""
    curve = _curve()
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", _description(DESCRIPTION)),
        (b"cprt", _text("No copyright, use freely")),
        (b"wtpt", _xyz(_D65)),
        (b"rXYZ", _xyz(_RED)),
        (b"gXYZ", _xyz(_GREEN)),
        (b"bXYZ", _xyz(_BLUE)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries: list[bytes] = []
    data = b""
    placed: dict[bytes, int] = {}
    for signature, body in tags:
        # The three tone curves are the same bytes, so they share one copy, as ICC allows.
        if body not in placed:
            placed[body] = offset + len(data)
            data += _pad(body)
        entries.append(signature + struct.pack(">II", placed[body], len(body)))
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"  # preferred CMM: none
        + bytes([2, 0x10, 0, 0])  # version 2.1.0
        + b"mntr"  # device class: display
        + b"RGB "
        + b"XYZ "
        + struct.pack(">6H", 2000, 1, 1, 0, 0, 0)  # a fixed creation date, for stable output
        + b"acsp"
        + bytes(4)  # primary platform: none
        + bytes(4)  # flags
        + bytes(4)  # device manufacturer
        + bytes(4)  # device model
        + bytes(8)  # device attributes
        + struct.pack(">I", 0)  # rendering intent: perceptual
        + b"".join(_s15f16(v) for v in _D50)
        + bytes(4)  # profile creator
        + bytes(44)  # reserved in version 2
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(entries) + data
