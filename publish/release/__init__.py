"""Writing a release: ``package`` (the files of a data package), ``bump`` (the next version),
``guard`` (mass deletions), ``store`` (the output folder, its lock and recovery), ``latest``
(the stable addresses of the newest release) and ``atomic`` (file steps never seen half done)."""
