"""Photos made fit for a published report: decoded, turned upright, resized, stripped of every metadata, re-encoded.

A photo is brought to 8 bits a channel (16-bit grey levels, modes ``I;16`` and ``I``, scaled by 1/257; floating-point
levels, mode ``F``, read as 0–255; both clipped; palette and 1-bit images made colour), scaled so that its longest
side is at most :data:`MAX_SIDE` pixels (before anything else, so that memory stays low), turned as its EXIF
orientation says, converted to sRGB when it carries a colour profile, and rebuilt from its pixels alone, so that no
EXIF (GPS positions of beneficiaries' homes included), XMP, ICC profile or comment reaches the report. Photographs
become JPEG (quality :data:`JPEG_QUALITY`); graphics (PNG, or an image with transparency) stay PNG unless that makes
them heavier than :data:`MAX_BYTES`, as does any image above it (lower quality, then smaller, until it fits). The
same file always gives the same bytes.
"""

from __future__ import annotations

import base64
import functools
import io
import warnings
from dataclasses import dataclass

MAX_SIDE = 1600
JPEG_QUALITY = 80
MAX_BYTES = 300_000  # encoded; about 400 KB once base64-embedded in the HTML report
_LOWER_QUALITIES = (70, 60, 50)
_SHRINK = 0.8
_WIDE_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I")  # 16-bit grey levels (PNG's I;16; I as older Pillow read it)


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded image: its bytes, MIME type and size in pixels."""

    data: bytes
    mime: str
    width: int
    height: int

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def process_image(source: bytes) -> ProcessedImage:
    """``source`` (a JPEG, PNG or WebP file's bytes) upright, at most :data:`MAX_SIDE` px, without metadata."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked at validation (MAX_PHOTO_PIXELS)
        opened = Image.open(io.BytesIO(source))
    with opened:
        graphic = opened.format == "PNG" or _has_alpha(opened)
        opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG is decoded at the smallest scale still big enough
        image = _eight_bit(opened)  # wide grey levels cannot be resized
        if image.mode in ("P", "PA", "1") or "transparency" in image.info:  # resized in colour, not by index
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)  # first: what follows works on a small image
        image = _srgb(ImageOps.exif_transpose(image))
        image = image.convert("RGBA" if graphic and _has_alpha(image) else "RGB")
        pixels = Image.frombytes(image.mode, image.size, image.tobytes())  # nothing but the pixels: no metadata
    if graphic:
        encoded = _png(pixels)
        if len(encoded) <= MAX_BYTES:
            return ProcessedImage(encoded, "image/png", *pixels.size)
    photo = _flattened(pixels)
    while True:
        for quality in (JPEG_QUALITY, *_LOWER_QUALITIES):
            encoded = _jpeg(photo, quality)
            if len(encoded) <= MAX_BYTES:
                return ProcessedImage(encoded, "image/jpeg", *photo.size)
        photo = photo.resize((max(1, int(photo.width * _SHRINK)), max(1, int(photo.height * _SHRINK))))


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _eight_bit(image):
    """``image`` with at most 8 bits a channel: wide grey levels scaled to 0–255 (Pillow would clip them, and a
    16-bit photo would come out almost white)."""
    if image.mode in _WIDE_GREY:
        return image.convert("I").point(_sixteen_to_eight(), "L")
    if image.mode == "F":
        return image.point(lambda level: level + 0.5).convert("L")  # rounded, as the wide grey levels are
    return image


@functools.cache
def _sixteen_to_eight() -> list[int]:
    """The 8-bit level of each 16-bit one (v / 257, rounded): a table, so no 32-bit copy of the image is made."""
    return [(level * 2 + 257) // 514 for level in range(65536)]


def _srgb(image):
    """``image`` converted from its embedded colour profile to sRGB (unchanged when it has none or it is unusable)."""
    from PIL import ImageCms

    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _flattened(image):
    """An RGB image: transparency laid on white."""
    from PIL import Image

    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _jpeg(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    return buffer.getvalue()
