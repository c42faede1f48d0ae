"""The server-rendered storefront: a separate Starlette app that talks to the API over HTTP."""
