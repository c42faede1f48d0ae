"""The ASGI app built from the environment, for `uvicorn server.main:app`."""

from server.app import configure_logging, create_app
from server.settings import Settings

configure_logging()
app = create_app(Settings.from_env())
