UNWIND $ids AS wanted
MATCH (o:Organization {id: wanted})
RETURN o.id AS id, o.type AS type
