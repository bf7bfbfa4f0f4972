// The organisations of an edit applied to a database that holds none (has_organizations),
// so there is nothing to merge with and no label to take away; labels from
// app/store/neo4j/layout.py.
UNWIND $rows AS row
CREATE (o:Organization:$(row.labels) {id: row.id})
SET o += row.properties
