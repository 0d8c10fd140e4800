"""Image uploads under attack or on a full disk (README "Hardening").

A full disk answers 507 in the client's own format (admin page, JSON for the
multi-uploader, problem+json for API v3) and leaves neither a partial file nor
a row; decompression bombs, oversized files, SVG and HTML dressed as a JPEG
are refused with a form error.

Each fault drill records figures for ``make audit``: "faults injected" (a
disk that fills up during an upload) and "data lost": images stored before
the fault whose row or file is gone or changed afterwards.
"""

import errno
import io
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from cms.storage import MediaStorage
from news.models import NewsImage
from tests.api_support import token_for
from tests.factories import make_image

pytestmark = pytest.mark.django_db

# Faults injected by the tests below, and what they must not lose or leave.
WRITTEN_BEFORE_FAILING = 8 * 1024


class FullDiskStorage(MediaStorage):
    """Media storage on a disk that fills up after WRITTEN_BEFORE_FAILING bytes of a file.

    The bytes before the failure really are written (through MediaStorage's
    own writing), so the test sees whether the partial file is removed.
    """

    def _save(self, name, content):
        return super()._save(name, _FillsUp(content))


class _FillsUp:
    def __init__(self, content):
        self.content = content

    def chunks(self, chunk_size=None):
        yield self.content.read(WRITTEN_BEFORE_FAILING)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class StoredBefore:
    """An image saved before the fault: after it, its row and its bytes must be intact."""

    def __init__(self):
        self.image = make_image("Stored before the disk filled up", width=16, height=16)
        self.name = self.image.file.name
        with self.image.file.open("rb") as file:
            self.data = file.read()

    def lost(self):
        """0 when the image and its file are as they were, else 1."""
        if not NewsImage.objects.filter(pk=self.image.pk, file=self.name).exists():
            return 1
        storage = self.image.file.storage
        if not storage.exists(self.name):
            return 1
        with storage.open(self.name, "rb") as file:
            return int(file.read() != self.data)

    def others(self):
        """New images since (a failed upload must leave none)."""
        return NewsImage.objects.exclude(pk=self.image.pk)


@pytest.fixture
def stored_before(audit_figures):
    """What the fault must not lose; counts the fault and the loss for ``make audit``."""
    before = StoredBefore()
    yield before
    audit_figures.add("faults injected")
    audit_figures.add("data lost", before.lost())


@pytest.fixture
def full_disk(settings, stored_before):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_hardening_uploads.FullDiskStorage"},
    }


@pytest.fixture
def admin_http(admin_user):
    # Errors become answers, as for a real client, instead of being re-raised.
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def noise_png(name="noise.png", side=160):
    """A PNG that does not compress (random pixels): its size is its size on disk."""
    image = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png_declaring(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def media_files(settings, but=None):
    """Files under MEDIA_ROOT, except ``but``'s (an image stored before the test)."""
    root = Path(settings.MEDIA_ROOT)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return [name for name in files if but is None or name != but.name]


def admin_upload(client, upload, title="Upload"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": title, "file": upload, "collection": "", "tags": ""},
    )


def multi_upload(client, upload):
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload, "title": "Upload"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def api_upload(client, user, upload, title="Upload"):
    return client.post(
        "/api/v3/images/",
        {"file": upload, "title": title},
        HTTP_AUTHORIZATION=f"Bearer {token_for(user)}",
    )


# The storage itself -------------------------------------------------------------------


def test_media_storage_removes_what_it_wrote_when_the_disk_fills_up(tmp_path):
    storage = FullDiskStorage(location=tmp_path)
    with pytest.raises(OSError) as failure:
        storage.save("original_images/big.bin", ContentFile(b"x" * 100_000))
    assert failure.value.errno == errno.ENOSPC
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_media_storage_never_touches_a_file_of_the_same_name(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"someone else's")
    storage = FullDiskStorage(location=tmp_path)
    with pytest.raises(OSError):
        storage._save("photo.jpg", ContentFile(b"x" * 100_000))  # the name is taken: a new one
    assert (tmp_path / "photo.jpg").read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["photo.jpg"]


def test_media_storage_saves_whole_files(tmp_path):
    storage = MediaStorage(location=tmp_path)
    name = storage.save("a/b.txt", ContentFile(b"hello"))
    assert (tmp_path / name).read_bytes() == b"hello"
    assert storage.save("a/b.txt", ContentFile(b"again")) != name


# A full disk: 507 in each client's format, nothing left behind ---------------------------

# Without the test's wrapping transaction, as in production: some upload views
# write inside their own atomic block, whose rollback is part of what is tested.
autocommit = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@autocommit
def test_admin_upload_on_a_full_disk_answers_507_in_the_admin_design(
    admin_http, full_disk, stored_before, settings
):
    answer = admin_upload(admin_http, noise_png())
    assert answer.status_code == 507
    assert answer["Content-Type"].startswith("text/html")
    body = answer.content.decode()
    assert "wagtailadmin/css/core.css" in body  # the admin's own design
    assert "storage is full" in body and "Nothing was saved" in body
    assert not stored_before.others().exists()
    assert media_files(settings, but=stored_before) == []
    assert stored_before.lost() == 0


@autocommit
def test_multi_upload_on_a_full_disk_answers_507_json(
    admin_http, full_disk, stored_before, settings
):
    answer = multi_upload(admin_http, noise_png())
    assert answer.status_code == 507
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["success"] is False
    assert "storage is full" in body["error_message"]
    assert not stored_before.others().exists()
    assert media_files(settings, but=stored_before) == []
    assert stored_before.lost() == 0


@autocommit
def test_api_upload_on_a_full_disk_answers_507_problem(
    admin_user, full_disk, stored_before, settings
):
    answer = api_upload(Client(raise_request_exception=False), admin_user, noise_png())
    assert answer.status_code == 507
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 507
    assert problem["title"] == "Insufficient Storage"
    assert "storage is full" in problem["detail"]
    assert not stored_before.others().exists()
    assert media_files(settings, but=stored_before) == []
    assert stored_before.lost() == 0


def test_uploads_work_again_once_there_is_room(admin_http, settings):
    answer = admin_upload(admin_http, noise_png(), title="Fine")
    assert answer.status_code == 302
    assert NewsImage.objects.filter(title="Fine").count() == 1
    assert len(media_files(settings)) == 1


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 64 KiB file system, where mounting one is allowed (root, no sandbox)."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"mount is not permitted here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@autocommit
def test_a_really_full_disk_answers_507_and_keeps_nothing(
    admin_http, settings, tiny_tmpfs, audit_figures
):
    settings.MEDIA_ROOT = str(tiny_tmpfs)
    before = StoredBefore()  # on the same small disk: filling it must not harm it
    upload = noise_png(side=200)  # about 120 KB: more than the file system holds
    assert upload.size > 64 * 1024
    answer = admin_upload(admin_http, upload)
    audit_figures.add("faults injected")
    audit_figures.add("data lost", before.lost())
    assert answer.status_code == 507
    assert not before.others().exists()
    assert media_files(settings, but=before) == []
    assert before.lost() == 0
    # The space is back: a small image fits.
    assert admin_upload(admin_http, noise_png(side=16), title="Small").status_code == 302


# Files that must be refused -------------------------------------------------------------


def test_upload_limits_have_sane_defaults():
    from cms.settings import base

    assert base.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert base.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 128_000_000
    assert "svg" not in base.WAGTAILIMAGES_EXTENSIONS


def _refused_everywhere(client, user, make_upload, reason, settings):
    """Admin, multi-uploader and API all refuse the file, saving nothing."""
    answer = admin_upload(client, make_upload())
    assert answer.status_code == 200
    assert reason in answer.content.decode()
    multi = multi_upload(client, make_upload())
    assert multi.status_code == 200
    assert multi.json()["success"] is False
    assert reason in multi.json()["error_message"]
    api = api_upload(Client(raise_request_exception=False), user, make_upload())
    assert api.status_code in (400, 422)
    assert api["Content-Type"] == "application/problem+json"
    assert reason in api.content.decode()
    assert NewsImage.objects.count() == 0
    assert media_files(settings) == []


def test_decompression_bombs_are_refused(admin_http, admin_user, settings):
    bomb = png_declaring(100_000, 100_000)  # ten gigapixels in a few dozen bytes
    assert len(bomb) < 200

    def upload():
        return SimpleUploadedFile("bomb.png", bomb, content_type="image/png")

    _refused_everywhere(admin_http, admin_user, upload, "too many pixels", settings)


def test_oversized_files_are_refused(admin_http, admin_user, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024
    _refused_everywhere(admin_http, admin_user, noise_png, "This file is too big", settings)


def test_svg_with_a_script_is_refused(admin_http, admin_user, settings):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )

    def upload():
        return SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")

    _refused_everywhere(admin_http, admin_user, upload, "Not a supported image format", settings)


def test_html_disguised_as_a_jpeg_is_refused(admin_http, admin_user, settings):
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    def upload():
        return SimpleUploadedFile("photo.jpg", html, content_type="image/jpeg")

    _refused_everywhere(admin_http, admin_user, upload, "Not a valid", settings)
