// Runs after write_lock; the layout (app/store/neo4j/layout.py) the records now lie in.
MATCH (m:GraphMeta {key: 'graph'})
SET m.layout = $layout
