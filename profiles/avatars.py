"""Turning an uploaded picture into the two images a page shows (a profile's avatar, a story's cover):
pure functions, no storage.

An upload is untrusted bytes. It is measured before anything decodes it, its header is read to refuse
formats other than the four web ones and pictures so large in pixels that decoding them would exhaust
memory (decompression bombs), and it is then re-encoded from its pixels alone, so that nothing the
sender put in the file (EXIF with GPS position, comments, colour profiles, trailing data) is served.
"""

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_PIXELS = 40_000_000
FILE_EXTENSION = "webp"
_QUALITY = 85


@dataclass(frozen=True)
class PictureKind:
    """One kind of picture: its name in messages, the two sizes (width, height) it is cropped and
    re-encoded to, and the setting that caps the upload's size in bytes."""

    noun: str | Promise
    large: tuple[int, int]
    small: tuple[int, int]
    max_bytes_setting: str


AVATAR = PictureKind(noun=_("avatar"), large=(256, 256), small=(64, 64), max_bytes_setting="AVATAR_MAX_BYTES")


@dataclass(frozen=True)
class ResizedImages:
    """The encoded files, at the kind's `large` and `small` sizes."""

    large: bytes
    small: bytes


def make_avatar_images(upload: UploadedFile) -> ResizedImages:
    return make_images(upload, AVATAR)


def make_images(upload: UploadedFile, kind: PictureKind) -> ResizedImages:
    """The images of `kind` for `upload`, or ValidationError saying what is wrong with it."""
    check_upload_size(upload, kind)
    try:
        upload.seek(0)
        with Image.open(upload, formats=ACCEPTED_FORMATS) as probe:
            _check_pixel_count(probe.size, kind)
            probe.verify()
        upload.seek(0)
        with Image.open(upload, formats=ACCEPTED_FORMATS) as image:
            # JPEG can decode at 1/2, 1/4 or 1/8 scale: no need to hold more pixels than the picture uses.
            image.draft(None, kind.large)
            image.load()
            large = ImageOps.fit(
                _flatten(ImageOps.exif_transpose(image)), kind.large, method=Image.Resampling.LANCZOS
            )
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(kind) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("The %(noun)s must be a JPEG, PNG, GIF or WebP image."),
            code="not_an_image",
            params={"noun": kind.noun},
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The %(noun)s image is damaged or incomplete. Try another file."),
            code="damaged_image",
            params={"noun": kind.noun},
        ) from error
    small = ImageOps.fit(large, kind.small, method=Image.Resampling.LANCZOS)
    return ResizedImages(large=_encode(large), small=_encode(small))


def check_upload_size(upload: UploadedFile, kind: PictureKind) -> None:
    max_bytes: int = getattr(settings, kind.max_bytes_setting)
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The %(noun)s must be at most %(megabytes)s MB."),
            code="file_too_big",
            params={"noun": kind.noun, "megabytes": f"{max_bytes / (1024 * 1024):g}"},
        )


def _check_pixel_count(size: tuple[int, int], kind: PictureKind) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(kind)


def _too_many_pixels(kind: PictureKind) -> ValidationError:
    return ValidationError(
        _("The %(noun)s picture is too large: it may have at most %(megapixels)d megapixels."),
        code="too_many_pixels",
        params={"noun": kind.noun, "megapixels": MAX_PIXELS // 1_000_000},
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels, with any transparency laid on white (converting straight to RGB would make it black)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    # A new image has only pixels: no metadata of the upload can ride along into the saved file.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = BytesIO()
    clean.save(buffer, format="WEBP", quality=_QUALITY, method=4)
    return buffer.getvalue()
