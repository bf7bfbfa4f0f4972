MATCH (s:Organization)-[r]->(t:Organization)
WHERE s.id IN $ids AND type(r) IN $types
RETURN r {.*, type: type(r), source: s.id, target: t.id} AS relationship
