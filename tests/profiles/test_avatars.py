from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from profiles import avatars
from tests.profiles.images import (
    BLUE,
    RED,
    image_bytes,
    png_header_claiming,
    two_colour_jpeg_with_exif,
    upload,
)


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def _refusal(content: bytes, name: str = "a.png") -> str:
    with pytest.raises(ValidationError) as caught:
        avatars.make_avatar_images(upload(content, name))
    return " ".join(caught.value.messages)


def _close(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_a_png_becomes_square_webp_images_of_both_sizes():
    images = avatars.make_avatar_images(upload(image_bytes((300, 200))))

    large, small = _open(images.large), _open(images.small)
    assert (large.format, large.size) == ("WEBP", (256, 256))
    assert (small.format, small.size) == ("WEBP", (64, 64))
    assert _close(large.getpixel((128, 128)), RED)


@pytest.mark.parametrize(("fmt", "extra"), [("JPEG", {}), ("GIF", {}), ("WEBP", {})])
def test_the_other_web_formats_are_accepted(fmt, extra):
    images = avatars.make_avatar_images(upload(image_bytes((80, 120), fmt=fmt, **extra), f"a.{fmt.lower()}"))

    assert _open(images.large).size == (256, 256)


def test_exif_is_stripped_after_its_orientation_is_applied():
    # Orientation 6: the camera was turned a quarter clockwise, so the left (red) half is the top.
    images = avatars.make_avatar_images(
        upload(two_colour_jpeg_with_exif(orientation=6), "p.jpg", "image/jpeg")
    )

    large = _open(images.large)
    assert _close(large.getpixel((128, 20)), RED)
    assert _close(large.getpixel((128, 235)), BLUE)
    for data in (images.large, images.small):
        reopened = _open(data)
        assert not reopened.getexif()
        assert "exif" not in reopened.info
        assert "icc_profile" not in reopened.info
        assert b"SecretCam" not in data


def test_transparency_is_laid_on_white():
    images = avatars.make_avatar_images(upload(image_bytes((64, 64), mode="RGBA", colour=(0, 0, 0, 0))))

    assert _close(_open(images.large).getpixel((10, 10)), (255, 255, 255))


def test_a_file_that_is_not_an_image_is_refused():
    assert _refusal(b"not an image") == "The avatar must be a JPEG, PNG, GIF or WebP image."


def test_an_image_in_another_format_is_refused():
    assert (
        _refusal(image_bytes((10, 10), fmt="BMP"), "a.bmp")
        == "The avatar must be a JPEG, PNG, GIF or WebP image."
    )


def test_a_truncated_image_is_refused_as_damaged():
    assert "damaged" in _refusal(image_bytes((200, 200), fmt="JPEG")[:400], "a.jpg")


def test_an_upload_over_the_size_limit_is_refused_before_anything_decodes_it(settings, monkeypatch):
    settings.AVATAR_MAX_BYTES = 5 * 1024 * 1024

    def decoding(*args, **kwargs):
        raise AssertionError("the upload was decoded")

    monkeypatch.setattr(avatars.Image, "open", decoding)

    assert _refusal(b"\0" * (20 * 1024 * 1024)) == "The avatar must be at most 5 MB."


@pytest.mark.parametrize("side", [8_000, 50_000])
def test_a_decompression_bomb_is_refused_from_its_header(side, monkeypatch):
    # 64 and 2,500 megapixels: the first is under Pillow's own limit, the second over it.
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the pixels were loaded"))

    message = _refusal(png_header_claiming(side, side))

    assert message == "The avatar picture is too large: it may have at most 40 megapixels."
