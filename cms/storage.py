"""Media storage on the local disk that never leaves a partial file behind.

Django's ``FileSystemStorage`` creates the file and then streams the upload
into it; when the disk fills up (``ENOSPC``, or ``EDQUOT`` over a quota) half
way, the half-written file stays, under a name no database row points to, and
keeps eating the space that ran out. ``MediaStorage`` writes the same way but
removes the file it created when writing fails, whatever the error, and then
lets the error go on: the view's answer (507 for a full disk, from
``cms.resilience``) is decided there, not here.

Only a file this call created is removed: it is opened with ``O_EXCL``, so a
name that already exists is never written to (a new name is chosen, as
Django does) and never deleted. S3 storage needs none of this: an object is
stored whole or not at all.
"""

import contextlib
import os

from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_makedirs

CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            if self.directory_permissions_mode is not None:
                safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
        except FileExistsError:
            raise FileExistsError(f"{directory} exists and is not a directory.") from None
        while True:
            try:
                fd = os.open(full_path, CREATE_NEW, 0o666)
            except FileExistsError:
                # Another upload took the name since get_available_name(): pick again.
                name = self.get_available_name(name)
                full_path = self.path(name)
            else:
                break
        try:
            self._write(fd, content)
        except BaseException:
            # The file is ours (O_EXCL) and incomplete: it must not outlive the failure.
            with contextlib.suppress(FileNotFoundError):
                os.remove(full_path)
            raise
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(name).replace("\\", "/")

    def _write(self, fd, content):
        """Stream ``content`` into the open file ``fd`` and close it.

        Closing is part of writing: some file systems (NFS) report a full disk
        only when the file is closed. A temporary upload is copied rather than
        moved, so a failure leaves it where Django cleans it up.
        """
        handle = None
        try:
            for chunk in content.chunks():
                if handle is None:
                    handle = os.fdopen(fd, "wb" if isinstance(chunk, bytes) else "wt")
                handle.write(chunk)
        finally:
            if handle is not None:
                handle.close()
            else:
                os.close(fd)
