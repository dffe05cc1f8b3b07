"""What changed between two packages: ``diff`` (rows by key, metadata), ``schema_diff`` (breaking
or compatible), ``records`` (the types of ``changes.json`` and of the catalog's entries), and
the French wording of the changes (``summary``, ``french``, ``unread``). Pure: no file written."""
