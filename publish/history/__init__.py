"""Every release of an output folder as one SQLite database for Datasette: ``build`` is the door
(``build_history``); ``releases`` reads them, ``rows`` and ``columns`` shape the tables,
``database`` writes them, ``metadata`` and ``queries`` describe them for Datasette."""
