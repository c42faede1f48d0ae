"""The storefront's pages, one module per area, each with its `routes`."""
