"""The GraphQL multipart request spec: `operations`, `map`, then the files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_UPLOAD_REQUEST = 25 * 1024 * 1024
MAX_FILES = 10
MAX_PATHS = 100  # places in `variables` that the files of one request may fill


class UploadError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


async def multipart_params(request: Request, loads: Callable[[str, str], Any]) -> dict[str, Any]:
    """The `operations` object with every file placed where `map` says; `loads` reads JSON."""
    declared = request.headers.get("content-length")
    if not declared or not declared.isdigit():
        raise UploadError("Unggahan butuh header Content-Length.", 411)
    if int(declared) > MAX_UPLOAD_REQUEST:
        raise UploadError("Unggahan terlalu besar (paling besar 25 MB per permintaan).", 413)
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=20)
    except HTTPException as error:  # starlette's word for a multipart body it cannot read
        raise UploadError(f"Badan multipart tidak valid: {error.detail}") from None
    operations = loads(str(form.get("operations", "")), "bidang operations")
    mapping = loads(str(form.get("map", "{}")), "bidang map")
    if not isinstance(operations, dict) or not isinstance(mapping, dict):
        raise UploadError("Bidang `operations` harus objek dan `map` harus objek.")
    if sum(len(p) if isinstance(p, list) else 1 for p in mapping.values()) > MAX_PATHS:
        raise UploadError(f"`map` menunjuk lebih dari {MAX_PATHS} tempat.")
    for name, paths in mapping.items():
        upload = form.get(name)
        if not isinstance(upload, UploadFile):
            raise UploadError(f"Berkas {name[:40]!r} yang disebut di `map` tidak dikirim.")
        if not isinstance(paths, list):
            raise UploadError("Setiap nilai di `map` harus daftar path.")
        for path in paths:
            _place(operations, str(path), upload)
    return operations


def _place(operations: dict[str, Any], path: str, upload: UploadFile) -> None:
    parts = path.split(".")
    if parts[0] != "variables" or len(parts) < 2:
        raise UploadError(f"Path {path[:80]!r} di `map` harus menunjuk ke dalam `variables`.")
    target: Any = operations
    for part in parts[:-1]:
        target = _step(target, part, path)
    last = parts[-1]
    if isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = upload
    elif isinstance(target, dict):
        target[last] = upload
    else:
        raise UploadError(f"Path {path[:80]!r} di `map` tidak ada di `operations`.")


def _step(target: Any, part: str, path: str) -> Any:
    if isinstance(target, dict) and isinstance(target.get(part), dict | list):
        return target[part]
    if isinstance(target, dict) and part == "variables" and target.get(part) is None:
        target[part] = {}
        return target[part]
    if isinstance(target, list) and part.isdigit() and int(part) < len(target):
        return target[int(part)]
    raise UploadError(f"Path {path[:80]!r} di `map` tidak ada di `operations`.")
