UNWIND $rows AS row
MATCH (:Organization {id: row.source})-[r]->(:Organization)
WHERE r.id = row.id
SET r += row.properties
