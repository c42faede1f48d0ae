"""Products and their photos through the API: a new product of a shop, and uploads by the
GraphQL multipart spec."""

import io
import json

from PIL import Image

CREATE_PRODUCT = """
mutation CreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { id slug name status price { amount formatted } stock }
    errors { field code message }
  }
}"""
UPDATE_PRODUCT = """
mutation UpdateProduct($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) {
    product { id slug name status price { amount formatted } stock isHalal }
    errors { field code message }
  }
}"""


async def add_product(gql, token, shop_id, **extra):
    body = {"shopId": shop_id, "name": "Keripik Singkong Balado", "price": 15000,
            "categorySlug": "keripik", "stock": 10, "status": "ACTIVE", **extra}  # fmt: skip
    payload = (await gql(CREATE_PRODUCT, {"input": body}, token=token))["data"]["createProduct"]
    assert payload["errors"] == [], payload
    return payload["product"]


UPLOAD = """
mutation UploadProductImage($productId: ID!, $file: Upload!, $alt: String) {
  uploadProductImage(productId: $productId, file: $file, alt: $alt) {
    image { id url alt width height thumbnail(width: 320) { url width height } }
    errors { field code message }
  }
}"""


def picture(fmt: str, size=(1200, 800), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, fmt, **save)
    return out.getvalue()


async def upload(client, token, query, variables, name, data):
    operations = json.dumps({"query": query, "variables": {**variables, "file": None}})
    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, data, "image/jpeg")},
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    assert response.status_code == 200, response.text
    return response.json()
