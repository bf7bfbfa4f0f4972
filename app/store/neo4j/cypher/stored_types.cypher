MATCH (o:Organization)
RETURN o.id AS id, o.type AS type
