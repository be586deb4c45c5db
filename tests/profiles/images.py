"""Image files built in memory for avatar tests."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def image_bytes(
    size: tuple[int, int] = (300, 200), fmt: str = "PNG", colour=RED, mode="RGB", **save
) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def two_colour_jpeg_with_exif(orientation: int) -> bytes:
    """A 300x200 JPEG, red on its left half and blue on its right, with camera metadata and a GPS position."""
    image = Image.new("RGB", (300, 200), BLUE)
    image.paste(Image.new("RGB", (150, 200), RED), (0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0)}  # GPSInfo
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims `width` x `height` pixels: decoding it would allocate them all."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
