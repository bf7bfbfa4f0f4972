MATCH (o:Organization)
WHERE o.id IN $ids
OPTIONAL MATCH (o)-[r]->(t:Organization)
WHERE t.id IN $ids
WITH o, collect(r {.*, type: type(r), source: o.id, target: t.id}) AS out
RETURN o {.*} AS organization, out AS relationships
