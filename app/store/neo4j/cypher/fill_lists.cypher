// Runs once after `solgraph db import` (app/store/neo4j/bulk.py), which marks the meta node:
// Neo4j's importer stores no empty list, so every list field of the models that the import
// left out is written empty, as a load writes it. Tests check every list field is named.
MATCH (m:GraphMeta {key: 'graph'})
WHERE m.lists_pending
REMOVE m.lists_pending
WITH m
CALL (m) {
  MATCH (o:Organization)
  WHERE o.aliases IS NULL OR o.countries IS NULL OR o.sectors IS NULL OR o.identifiers IS NULL
  SET o.aliases = coalesce(o.aliases, []),
      o.countries = coalesce(o.countries, []),
      o.sectors = coalesce(o.sectors, []),
      o.identifiers = coalesce(o.identifiers, [])
}
CALL (m) {
  MATCH (:Organization)-[r]->(:Organization)
  WHERE r.mechanisms IS NULL OR r.activities IS NULL
  SET r.mechanisms = coalesce(r.mechanisms, []),
      r.activities = coalesce(r.activities, [])
}
