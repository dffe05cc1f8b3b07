"""The project's domain errors.

Every failure the pipeline can meet on bad input is one of these. They carry a one-line message
that names the problem (which header, which row, which field); the CLI and the flow turn them into
that message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from core.problem import Problem


class RdvError(Exception):
    """Base of every error this project raises on purpose."""

    #: short machine-readable name, as frictionless does for its errors
    type = "rdv-error"
    #: the WARC file of the read this error refused, when the source was read and archived
    warc: str | None = None

    def __str__(self) -> str:  # one line, always
        return " ".join(super().__str__().split())


class SourceError(RdvError):
    """The source cannot be read (missing file, unreadable bytes, size cap). ``answered``: the
    HTTP exchanges of a fetch the server answered with an error (a 4xx, a 5xx given up on),
    kept as evidence (``extract.exchange.Exchange``)."""

    type = "source-error"

    def __init__(self, message: str, answered: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.answered = answered


class DecodeError(SourceError):
    """The source bytes cannot be decoded in the declared or any accepted charset."""

    type = "decode-error"


class LayoutError(RdvError):
    """The table is missing or its layout drifted (header, number of cells)."""

    type = "layout-error"


class NormaliseError(RdvError):
    """A cell states a fact the rules cannot read (rather than guess, we refuse)."""

    type = "normalise-error"


class ValidationFailed(RdvError):
    """The normalised data or the written package broke its schema."""

    type = "validation-failed"

    def __init__(self, message: str, errors: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.errors: list[Problem] = errors or []

    @classmethod
    def of(cls, what: str, errors: list[Problem]) -> ValidationFailed:
        """One line naming the first problem (and how many more), keeping them all as data."""
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return cls(f"{what} failed validation: {errors[0].message}{more}", errors)


class PublishError(RdvError):
    """Publishing cannot proceed safely (lock held, I/O failure, guard refused)."""

    type = "publish-error"


class LockHeld(PublishError):
    """Another publish holds the output folder's lock."""

    type = "lock-held"


class GuardRefused(PublishError):
    """A guard held back a page that was read, for a person to check (``--allow-…``)."""

    type = "guard-refused"


class RollbackRefused(GuardRefused):
    """The source was observed before the latest release's: publishing it would roll back."""

    type = "rollback-refused"


class FutureRelease(GuardRefused):
    """The latest release records an observed date in the future (accepted before such dates
    were refused): no source can be checked against it."""

    type = "future-release"


class MassDeletionRefused(GuardRefused):
    """The source would delete most of a resource's rows."""

    type = "mass-deletion-refused"


class BrokenChain(RdvError):
    """The release chain of an output folder does not hold (``rdv-opendata verify``): the
    message names the first broken link, which file of which release."""
