MATCH (s:Organization)-[r]->(t:Organization)
WHERE r.id IN $ids
RETURN r {.*, type: type(r), source: s.id, target: t.id} AS relationship
