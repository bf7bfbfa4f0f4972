MATCH (s:Organization)-[r]->(t:Organization)
RETURN r {.*, type: type(r), source: s.id, target: t.id} AS relationship
ORDER BY r.id
