"""Every element of the public schema is described, and GraphiQL (introspection over HTTP)
shows those descriptions: a type, field, argument or enum value added undescribed fails."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    introspection_types,
    specified_scalar_types,
)

from schema import build_schema

# Browsers' GraphiQL asks for all of this (descriptions and @specifiedBy included).
INTROSPECTION = get_introspection_query(
    descriptions=True, specified_by_url=True, input_value_deprecation=True
)


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every named type (but GraphQL's own), field, input field, argument and enum value
    whose description is missing or blank, as `Type`, `Type.field`, `Type.field(arg)`."""
    missing: list[str] = []

    def check(description: str | None, name: str) -> None:
        if not (description or "").strip():
            missing.append(name)

    for name, named in sorted(schema.type_map.items()):
        if name in introspection_types or name in specified_scalar_types:
            continue
        check(named.description, name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                check(field.description, f"{name}.{field_name}")
                for arg_name, arg in field.args.items():
                    check(arg.description, f"{name}.{field_name}({arg_name})")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                check(input_field.description, f"{name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                check(value.description, f"{name}.{value_name}")
    return missing


def test_every_public_schema_element_is_described() -> None:
    missing = undescribed(build_schema()._schema)
    assert not missing, f"{len(missing)} undescribed:\n" + "\n".join(missing)


def test_the_walk_finds_what_lacks_a_description() -> None:
    schema = build_schema()._schema
    product = schema.type_map["Product"]
    assert isinstance(product, GraphQLObjectType)
    saved = product.fields["price"].description, product.fields["thumbnail"].args["width"]
    product.fields["price"].description = " "
    saved[1].description = None
    try:
        assert undescribed(schema) == ["Product.price", "Product.thumbnail(width)"]
    finally:
        product.fields["price"].description, saved[1].description = saved[0], saved[1].description


def test_custom_scalars_say_their_format_and_link_their_spec() -> None:
    schema = build_schema()._schema
    for name in ("Date", "DateTime", "Upload"):
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        assert (scalar.specified_by_url or "").startswith("https://"), name
    rupiah = schema.type_map["Rupiah"]
    assert "2^53" in (rupiah.description or "")


async def test_graphiql_sees_the_descriptions_over_http(gql) -> None:
    result = await gql(INTROSPECTION)
    assert "errors" not in result, result.get("errors")
    seen = build_client_schema(result["data"])
    assert undescribed(seen) == []
    products = seen.query_type.fields["products"]  # type: ignore[union-attr]
    assert "at most 100" in (products.args["first"].description or "")
    status = seen.type_map["OrderStatus"]
    assert isinstance(status, GraphQLEnumType)
    assert "tracking number" in (status.values["SHIPPED"].description or "")
    date = seen.type_map["DateTime"]
    assert isinstance(date, GraphQLScalarType)
    assert date.specified_by_url == build_schema()._schema.type_map["DateTime"].specified_by_url
