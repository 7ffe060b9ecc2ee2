"""Where the production settings keep static files, and how they name them."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed files with hashed names, each URL worked out once.

    Every page asks {% static %} for the URLs of its stylesheet, scripts and icon, and
    each answer takes a lookup in the manifest and some URL parsing. The manifest that
    collectstatic wrote does not change while the process runs, so neither do the URLs:
    they are kept after the first time. For the production settings only (DEBUG off).
    https://docs.djangoproject.com/en/5.2/ref/contrib/staticfiles/#manifeststaticfilesstorage
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        key = (name, force)
        if key not in self._urls:
            self._urls[key] = super().url(name, force)
        return self._urls[key]
