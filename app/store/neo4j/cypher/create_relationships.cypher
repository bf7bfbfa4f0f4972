UNWIND $rows AS row
MATCH (s:Organization {id: row.source}), (t:Organization {id: row.target})
CREATE (s)-[r:$(row.type) {id: row.id}]->(t)
SET r += row.properties
