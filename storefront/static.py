"""Static files under content-hashed names, so browsers may keep them for a year."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
FOREVER = "public, max-age=31536000, immutable"


class HashedStatic:
    """The files of a folder, read once, each served at `/static/<stem>.<hash><suffix>`."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.names: dict[str, str] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()[:12]
            hashed = f"{path.stem}.{digest}{path.suffix}"
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.names[path.name] = hashed
            self.files[hashed] = (content, media_type)

    def url(self, name: str) -> str:
        return f"/static/{self.names[name]}"

    async def endpoint(self, request: Request) -> Response:
        found = self.files.get(request.path_params["name"])
        if found is None:
            raise HTTPException(404)
        content, media_type = found
        return Response(content, media_type=media_type, headers={"Cache-Control": FOREVER})
