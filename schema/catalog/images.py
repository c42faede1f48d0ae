"""Pictures: product photos and shop logos, with their WebP renditions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from media.images import pick_rendition
from models import catalog as m
from resolvers.catalog import images
from resolvers.cooperatives import downloads
from resolvers.platform import now
from schema.catalog.product import Width
from schema.platform import (
    ERRORS,
    OkPayload,
    UserError,
    Visible,
    decode_id,
    payload_of,
    visible_rows,
)
from schema.shops import Shop, ShopPayload

FILE = Annotated[
    Upload,
    strawberry.argument(
        description="A JPEG, PNG or WebP picture, at most 10 MB, 40 megapixels and 16,383 "
        "pixels a side; checked by its content, not its name or declared type."
    ),
]


@strawberry.type(description="One stored size of a picture, as WebP.")
class ImageRendition:
    url: str = strawberry.field(description="Where a browser fetches it.")
    width: int = strawberry.field(description="In pixels.")
    height: int = strawberry.field(description="In pixels.")


def _rendition(info: Info, rendition: dict, signed: bool = False) -> ImageRendition:
    url = info.context.services.storage.url(rendition["key"])
    if signed and url.startswith("/"):  # local media: behind a signed, short-lived link
        url = downloads.signed_path(info.context.services.download_secret, url, now())
    return ImageRendition(
        url=info.context.absolute_url(url),
        width=rendition["width"],
        height=rendition["height"],
    )


@strawberry.type(
    description="A product photo or a shop logo: auto-rotated, stripped of metadata (EXIF GPS "
    "included) and stored as WebP renditions. Seen by whoever sees its product (a logo by "
    "everyone)."
)
class Image(Visible, relay.Node):
    id: relay.NodeID[int]
    alt: str = strawberry.field(
        description="Text for screen readers: as uploaded, else the product's or shop's name."
    )
    width: int = strawberry.field(description="The original's width in pixels, upright.")
    height: int = strawberry.field(description="The original's height in pixels, upright.")
    model: strawberry.Private[m.Image]
    signed: strawberry.Private[bool]

    @classmethod
    def of(cls, image: m.Image, signed: bool = False) -> Image:
        """`signed`: a cash movement's nota, whose files are served only by signed links."""
        return cls(
            id=image.id, alt=image.alt, width=image.width, height=image.height, model=image,
            signed=signed,
        )  # fmt: skip

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await visible_rows(cls, info, node_ids)
        receipts = await images.receipt_ids([row.id for row in rows if row is not None])
        return [cls.of(row, row.id in receipts) if row is not None else None for row in rows]

    @strawberry.field(description="The full-size picture (WebP).")
    def url(self, info: Info) -> str:
        chosen = pick_rendition(self.model.renditions, self.model.width)
        return _rendition(info, chosen, self.signed).url

    @strawberry.field(
        description="The smallest rendition at least `width` pixels wide, or the widest there is."
    )
    def thumbnail(self, info: Info, width: Width = 320) -> ImageRendition:
        return _rendition(info, pick_rendition(self.model.renditions, width), self.signed)


@strawberry.type(description="The answer to uploadProductImage.")
class ImagePayload:
    image: Image | None = strawberry.field(
        default=None, description="The stored photo; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Adds a photo to a product, after the others; its shop's owner only. Send "
        "it as a multipart request with a preflighted header (e.g. Apollo-Require-Preflight). "
        "Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (productId), LIMIT_EXCEEDED "
        "(10 photos), FILE_TOO_LARGE, UNSUPPORTED_FILE, INVALID_STATE (the media store is "
        "down: try again)."
    )
    async def upload_product_image(
        self,
        info: Info,
        product_id: Annotated[strawberry.ID, strawberry.argument(description="The Product's id.")],
        file: FILE,
        alt: Annotated[
            str | None,
            strawberry.argument(
                description="Text for screen readers, at most 200 characters kept; the "
                "product's name if none."
            ),
        ] = None,
    ) -> ImagePayload:
        return await payload_of(
            ImagePayload,
            lambda: images.add_product_image(
                info.context.viewer,
                info.context.services.storage,
                decode_id(product_id, "Product", "productId"),
                cast(images.Upload, file),  # starlette's UploadFile
                alt,
            ),
            lambda image: ImagePayload(image=Image.of(image)),
        )

    @strawberry.mutation(
        description="Removes a product photo; its shop's owner only. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED."
    )
    async def delete_product_image(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Image's id.")],
    ) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: images.delete_product_image(
                info.context.viewer, info.context.services.storage, decode_id(id, "Image")
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sets (or replaces) a shop's logo; its owner only. Sent like "
        "uploadProductImage's file. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED "
        "(shopId), FILE_TOO_LARGE, UNSUPPORTED_FILE, INVALID_STATE (the media store is down)."
    )
    async def upload_shop_logo(
        self,
        info: Info,
        shop_id: Annotated[strawberry.ID, strawberry.argument(description="The Shop's id.")],
        file: FILE,
    ) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: images.set_shop_logo(
                info.context.viewer,
                info.context.services.storage,
                decode_id(shop_id, "Shop", "shopId"),
                cast(images.Upload, file),  # starlette's UploadFile
            ),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )
