MATCH (s:Organization)-[r]->(t:Organization)
WHERE ($type IS NULL OR type(r) = $type)
  AND ($source IS NULL OR s.id = $source)
  AND ($target IS NULL OR t.id = $target)
WITH s, r, t
ORDER BY r.id
WITH collect(r {.*, type: type(r), source: s.id, target: t.id}) AS hits
RETURN size(hits) AS total, hits[$offset..($offset + $limit)] AS items
