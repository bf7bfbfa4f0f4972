MATCH (s:Organization)-[r]->(t:Organization)
WHERE t.id IN $ids AND type(r) IN $types
RETURN r {.*, type: type(r), source: s.id, target: t.id} AS relationship
