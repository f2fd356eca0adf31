"""Static files storage for production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; a name missing from the manifest falls back to itself.

    The server refuses to start without a manifest (casebase.checks), so this only keeps an error
    page rendering when one file is missing, rather than turning a 404 into a 500.
    """

    manifest_strict = False

    def stored_name(self, name):
        # Without `collectstatic` there is nothing to hash; the error pages still render with plain names.
        try:
            return super().stored_name(name)
        except ValueError:
            return name
