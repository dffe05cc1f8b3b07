"""The published formats: one table says, for each, its suffix, media type, EU file type, writer
and reader (``publish.formats.table``); the workbook and the standalone Table Schemas have their
own writers here."""
