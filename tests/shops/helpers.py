"""Shops through the contract's operations: a new shop of an owner, and its verification."""

CREATE_SHOP = """
mutation CreateShop($input: CreateShopInput!) {
  createShop(input: $input) {
    shop { id slug name isVerified kelurahan { code name } }
    errors { field code message }
  }
}"""
VERIFY_SHOP = """
mutation VerifyShop($id: ID!) {
  verifyShop(id: $id) { shop { id isVerified } errors { field code message } }
}"""


def shop_input(**extra):
    return {
        "name": "Keripik Bu Ani",
        "sizeClass": "MIKRO",
        "kelurahanCode": "36.71.01.1001",
        "whatsapp": "0812 3456 7890",
        **extra,
    }


async def open_shop(gql, token, **extra):
    result = await gql(CREATE_SHOP, {"input": shop_input(**extra)}, token=token)
    payload = result["data"]["createShop"]
    assert payload["errors"] == [], payload
    return payload["shop"]
