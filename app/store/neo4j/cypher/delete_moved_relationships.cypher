MATCH (s:Organization)-[r]->(t:Organization)
WHERE r.id IN keys($ends)
WITH s, r, t, $ends[r.id] AS wanted
WHERE type(r) <> wanted.type OR s.id <> wanted.source OR t.id <> wanted.target
DELETE r
