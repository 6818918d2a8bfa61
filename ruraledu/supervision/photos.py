"""Checks on visit photos before anything is stored. A photo must be a real JPEG or PNG
(the report-evidence checks: content matches the name, nothing after the image's end), within
the size limit and a sane pixel count; it is then decoded, turned upright and re-encoded as a
JPEG without metadata, so the camera's GPS position and other EXIF data are not kept."""

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from ruraledu.reporting.evidence import EvidenceRefused, check_evidence, clean_name, megabytes

from .conf import photo_max_bytes

MAX_PIXELS = 40_000_000  # a 40-megapixel camera; more is a decompression bomb
LONG_SIDE = 2560  # stored photos are scaled down to this; enough to read a notice board
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class CheckedPhoto:
    name: str
    data: bytes  # the re-encoded JPEG, without metadata
    size: int
    sha256: str


def check_photo(data: bytes, filename: str) -> CheckedPhoto:
    """Raise `EvidenceRefused` unless `data` is a real photo; return it cleaned."""
    name = clean_name(filename)
    limit = photo_max_bytes()
    if len(data) > limit:
        raise EvidenceRefused(
            f"照片过大（{megabytes(len(data))}），每张不能超过 {megabytes(limit)}。"
        )
    if PurePosixPath(name).suffix.lower() not in PHOTO_SUFFIXES:
        raise EvidenceRefused(f"“{name}”不是照片：只接受 JPEG 或 PNG 图片。")
    check_evidence(data, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise EvidenceRefused(f"照片“{name}”的像素过多，请用手机相机正常拍摄的照片。")
                probe.verify()
            with Image.open(BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise EvidenceRefused(f"照片“{name}”无法读取，可能已损坏，请重新拍摄。") from exc
    upright.thumbnail((LONG_SIDE, LONG_SIDE))
    out = BytesIO()
    # no exif= argument: the saved JPEG carries no metadata at all
    upright.save(out, format="JPEG", quality=85, optimize=True)
    cleaned = out.getvalue()
    return CheckedPhoto(
        name=name, data=cleaned, size=len(cleaned), sha256=hashlib.sha256(cleaned).hexdigest()
    )


def save_with_photo(obj, checked: CheckedPhoto) -> None:
    """Write the cleaned photo into `obj.file`, then save the row. The file is written before
    the row: a row refused (validation or a concurrent duplicate) must not leave it behind."""
    obj.file.save("photo.jpg", ContentFile(checked.data), save=False)
    stored, storage = obj.file.name, obj.file.storage
    try:
        obj.full_clean()
        with transaction.atomic():
            obj.save()
    except (ValidationError, IntegrityError):
        storage.delete(stored)
        raise
