"""Pictures: product photos and shop logos, with their WebP renditions."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from media.images import pick_rendition
from models import catalog as m
from resolvers.catalog import images
from schema.platform import OkPayload, UserError, Visible, decode_id, payload_of
from schema.shops import Shop, ShopPayload


@strawberry.type
class ImageRendition:
    url: str
    width: int
    height: int


def _rendition(info: Info, rendition: dict) -> ImageRendition:
    return ImageRendition(
        url=info.context.absolute_url(info.context.services.storage.url(rendition["key"])),
        width=rendition["width"],
        height=rendition["height"],
    )


@strawberry.type
class Image(Visible, relay.Node):
    id: relay.NodeID[int]
    alt: str
    width: int
    height: int
    model: strawberry.Private[m.Image]

    @classmethod
    def of(cls, image: m.Image) -> Image:
        return cls(id=image.id, alt=image.alt, width=image.width, height=image.height, model=image)

    @strawberry.field(description="The full-size picture.")
    def url(self, info: Info) -> str:
        return _rendition(info, pick_rendition(self.model.renditions, self.model.width)).url

    @strawberry.field(description="The smallest rendition at least `width` pixels wide.")
    def thumbnail(self, info: Info, width: int = 320) -> ImageRendition:
        return _rendition(info, pick_rendition(self.model.renditions, width))


@strawberry.type
class ImagePayload:
    image: Image | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="JPEG, PNG or WebP up to 10 MB and 40 megapixels.")
    async def upload_product_image(
        self, info: Info, product_id: strawberry.ID, file: Upload, alt: str | None = None
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

    @strawberry.mutation
    async def delete_product_image(self, info: Info, id: strawberry.ID) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: images.delete_product_image(
                info.context.viewer, info.context.services.storage, decode_id(id, "Image")
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation
    async def upload_shop_logo(
        self, info: Info, shop_id: strawberry.ID, file: Upload
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
