# SatuPintu's API (docs/operations.md). Multi-stage: the wheel and its dependencies are built
# in the first stage; the runtime stage has no compiler, no pip cache, and runs as a user
# without privileges. Nothing is fetched at start: the GraphiQL assets are vendored in the
# package (server/graphiql_assets).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server server
COPY schema schema
COPY resolvers resolvers
COPY models models
COPY media media
COPY demo demo
COPY storefront storefront
COPY bench bench
RUN python -m venv /opt/satupintu \
 && /opt/satupintu/bin/pip install --no-cache-dir ".[production]"

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /var/lib/satupintu --create-home satupintu
COPY --from=build /opt/satupintu /opt/satupintu
ENV PATH=/opt/satupintu/bin:$PATH \
    SATUPINTU_VAR_DIR=/var/lib/satupintu \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER satupintu
WORKDIR /var/lib/satupintu
EXPOSE 8000
# SIGTERM: in-flight requests finish (up to 30 s), WebSockets close with 1012.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["satupintu", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
