"""atheris harness over the parser: any bytes must give a table or one of our own errors.

``make fuzz`` runs it for a bounded time (FUZZ_SECONDS, default 60) from ``fuzz/corpus`` (the
seed and the bad-input fixtures to start from). A crash (an exception that is not one of our
errors) is a bug: fix it and keep the input as a case of ``tests/fixtures/bad/`` with the message
it must give. Not run in CI.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from core.errors import RdvError
    from extract import extract_table
    from normalise import normalise
    from rdv_opendata.pipeline import validate


def test_one_input(data: bytes) -> None:
    try:
        validate(normalise(extract_table(data)))
    except RdvError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
