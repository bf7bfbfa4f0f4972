MATCH (o:Organization)
RETURN o.type AS key, count(*) AS n
