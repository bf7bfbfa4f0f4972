// Labels from app/store/neo4j/layout.py: the family and movement labels the organisation
// has now, and every other one it may carry from before, which it loses.
UNWIND $rows AS row
MERGE (o:Organization {id: row.id})
SET o += row.properties
REMOVE o:$(row.stale)
SET o:$(row.labels)
