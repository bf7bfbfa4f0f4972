MATCH (c:Change)
WHERE ($since IS NULL OR c.at >= $since)
  AND ($entity IS NULL OR c.entity = $entity)
  AND ($id IS NULL OR c.entity_id = $id)
WITH c
ORDER BY c.seq
WITH collect(c {.*}) AS hits
RETURN size(hits) AS total, hits[$offset..($offset + $limit)] AS items
