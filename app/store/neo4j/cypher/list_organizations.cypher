MATCH (o:Organization)
WHERE ($type IS NULL OR o.type = $type)
  AND ($movement IS NULL OR o.movement = $movement)
  AND ($country IS NULL OR $country IN o.countries)
  AND ($sector IS NULL OR $sector IN o.sectors)
  AND ($q IS NULL OR any(key IN o.search_keys WHERE key CONTAINS $q))
WITH o
ORDER BY o.sort_key, o.id
WITH collect(o {.*}) AS hits
RETURN size(hits) AS total, hits[$offset..($offset + $limit)] AS items
