MATCH (:Organization)-[r]->(:Organization)
WHERE r.id IN $ids
DELETE r
