"""The floor of the house: domain errors, constants and small text helpers shared by the pure
packages (extract, normalise, schemas, publish, website). It imports nothing from the project."""
