"""Attachments → images: files from --media-dir, matched by the attachment URL's path."""

import hashlib
import os
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from PIL import Image as PILImage

from .bodies import split_credit

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff"}
# "photo-300x200.jpg" and "photo-scaled.jpg" are sizes WordPress made of "photo.jpg".
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
PHP_CREDIT = re.compile(r's:6:"credit";s:\d+:"(.*?)";')


def upload_path(url_or_path):
    """The file's path under uploads/ ("2024/05/photo.jpg"), from a URL or a path."""
    path = unquote(urlsplit(url_or_path or "").path or url_or_path or "")
    if "/uploads/" in path:
        path = path.split("/uploads/", 1)[1]
    return path.lstrip("/")


def lookup_key(url_or_path):
    """The key attachments are found by: the upload path without WordPress's size suffix."""
    return SIZE_SUFFIX.sub("", upload_path(url_or_path)).lower()[:300]


def find_file(media_dir, url, attached_file=""):
    """The attachment's file in `media_dir`, matched by its URL path (None if missing).

    The directory may be the site root (wp-content/uploads/2024/05/x.jpg),
    the uploads folder (2024/05/x.jpg) or anything in between.
    """
    if not media_dir:
        return None
    root = os.path.realpath(media_dir)
    candidates = []
    url_path = PurePosixPath(unquote(urlsplit(url or "").path))
    parts = [part for part in url_path.parts if part not in {"/", "..", "."}]
    for start in range(len(parts)):
        candidates.append(os.path.join(root, *parts[start:]))
        if len(parts) - start <= 3:  # year/month/file at the shortest
            break
    if attached_file:
        candidates.append(os.path.join(root, *PurePosixPath(attached_file).parts))
    for candidate in candidates:
        real = os.path.realpath(candidate)
        # Never outside the media directory, whatever the export says.
        if real.startswith(root + os.sep) and os.path.isfile(real):
            return real
    return None


def attachment_metadata(item):
    """Title, alt text, caption and credit of an attachment item."""
    caption, credit = split_credit(item.excerpt)
    if not credit:
        match = PHP_CREDIT.search(item.meta.get("_wp_attachment_metadata", ""))
        credit = match[1] if match else ""
    credit = item.meta.get("_media_credit") or item.meta.get("credit") or credit
    return {
        "title": (item.title or PurePosixPath(urlsplit(item.attachment_url).path).stem)[:255],
        "description": item.meta.get("_wp_attachment_image_alt", "")[:255],
        "default_caption": caption[:500],
        "credit": credit.strip()[:255],
    }


def is_image(item):
    return PurePosixPath(urlsplit(item.attachment_url).path).suffix.lower() in IMAGE_SUFFIXES


def check_image(path):
    """Raise ValueError when the file is not an image Pillow can read."""
    try:
        with PILImage.open(path) as picture:
            picture.verify()
    except Exception as exc:  # Pillow raises many types for broken or hostile files
        raise ValueError(f"{os.path.basename(path)} is not a readable image ({exc})") from exc


def file_hash(path):
    digest = hashlib.sha1()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def image_file(path):
    return ImageFile(open(path, "rb"), name=os.path.basename(path))  # noqa: SIM115 - closed by save
