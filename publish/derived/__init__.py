"""The files made from the whole output folder rather than from one release: the DCAT-AP
catalogue (``dcat``) and the history database, both refreshed by ``refresh.refresh_derived``."""
