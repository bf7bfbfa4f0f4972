MATCH (i:Import)
WITH i
ORDER BY i.at DESC, i.id DESC
WITH collect(i.body) AS bodies
RETURN size(bodies) AS total, bodies[$offset..($offset + $limit)] AS items
