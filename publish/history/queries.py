"""The canned queries of the history database, named in French: the SQL Datasette runs when one is
opened (``/history/<name>``), with its title and description (``publish.history.metadata`` adds
the licence and the source to each)."""

from __future__ import annotations

VISIBILITY_SQL = """WITH par_publication AS (
  SELECT r.seq, t.position AS type_position, t.label AS type_de_rendez_vous,
         s.rule_id AS regle, s.applies_to AS demarche_visee,
         s.visibility_weeks AS visibilite_semaines
  FROM releases r
  JOIN slot_rules s ON r.seq BETWEEN s._seq_from AND s._seq_to
  LEFT JOIN channels c
    ON c.channel_id = s.channel_id AND r.seq BETWEEN c._seq_from AND c._seq_to
  LEFT JOIN appointment_types t
    ON t.type_id = c.type_id AND r.seq BETWEEN t._seq_from AND t._seq_to
  WHERE s.rule_type = 'slot_release'
),
ilots AS (
  SELECT *, seq - row_number() OVER (
    PARTITION BY regle, demarche_visee, visibilite_semaines, type_de_rendez_vous ORDER BY seq
  ) AS ilot
  FROM par_publication
),
periodes AS (
  SELECT min(type_position) AS type_position, type_de_rendez_vous, regle, demarche_visee,
         visibilite_semaines, min(seq) AS du, max(seq) AS au
  FROM ilots
  GROUP BY regle, demarche_visee, visibilite_semaines, type_de_rendez_vous, ilot
)
SELECT p.type_de_rendez_vous, p.demarche_visee, p.visibilite_semaines,
       d.version AS de_la_version, d.observed AS observee_depuis_le,
       a.version AS a_la_version, a.observed AS observee_jusqu_au,
       a.seq = (SELECT max(seq) FROM releases) AS actuelle, p.regle
FROM periodes p
JOIN releases d ON d.seq = p.du
JOIN releases a ON a.seq = p.au
ORDER BY p.type_position, p.regle, p.du"""

LOCATIONS_SQL = """SELECT l.name AS lieu, l.location_id AS identifiant,
       l.valid_from AS valable_a_partir_du, l.valid_until AS valable_jusqu_au,
       l._version_from AS de_la_version, l._observed_from AS observe_depuis_le,
       l._version_to AS a_la_version, l._observed_to AS observe_jusqu_au,
       (SELECT json_group_array(version) FROM (
          SELECT r.version FROM releases r
          WHERE r.seq BETWEEN l._seq_from AND l._seq_to ORDER BY r.seq
       )) AS versions,
       l._current AS actuel
FROM locations l
ORDER BY l.location_id, l._seq_from"""

ADDRESSES_SQL = """SELECT evenement, adresse, role, usage_public, modalite, version, observee_le,
       version_precedente, precedente_observee_le
FROM (
  SELECT 'apparue' AS evenement, c.email AS adresse, c.role, c.public_use AS usage_public,
         c.channel_id AS modalite, r.seq, r.version, r.observed AS observee_le,
         p.version AS version_precedente, p.observed AS precedente_observee_le
  FROM contacts c
  JOIN releases r ON r.seq = c._seq_from
  JOIN releases p ON p.seq = c._seq_from - 1
  WHERE c._started_by = 'added'
  UNION ALL
  SELECT 'disparue', c.email, c.role, c.public_use, c.channel_id, n.seq, n.version, n.observed,
         r.version, r.observed
  FROM contacts c
  JOIN releases r ON r.seq = c._seq_to
  JOIN releases n ON n.seq = c._seq_to + 1
  WHERE c._ended_by = 'removed'
)
ORDER BY seq, evenement, adresse"""

#: canned queries, named in French (their URL: /history/<name>)
QUERIES: dict[str, dict[str, str]] = {
    "visibilite_par_type_au_fil_du_temps": {
        "title": "Visibilité par type au fil du temps",
        "description": (
            "Pour chaque type de rendez-vous et chaque règle d'ouverture des créneaux : à combien "
            "de semaines les créneaux sont visibles, de quelle publication à quelle publication, "
            "avec les dates où la source a été observée."
        ),
        "sql": VISIBILITY_SQL,
    },
    "lieux_et_leurs_dates": {
        "title": "Lieux et leurs dates",
        "description": (
            "Chaque lieu de rendez-vous avec ses dates de validité, les publications où il "
            "figurait avec ces dates et les dates d'observation correspondantes."
        ),
        "sql": LOCATIONS_SQL,
    },
    "adresses_apparues_ou_disparues": {
        "title": "Adresses apparues ou disparues",
        "description": (
            "Les adresses électroniques apparues ou disparues d'une publication à la suivante : "
            "le changement a eu lieu entre precedente_observee_le et observee_le."
        ),
        "sql": ADDRESSES_SQL,
    },
}
