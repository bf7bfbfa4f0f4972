MATCH (p:Publication {kind: $kind})
WITH p
ORDER BY p.id
WITH collect(p.body) AS bodies
RETURN size(bodies) AS total, bodies[$offset..($offset + $limit)] AS items
