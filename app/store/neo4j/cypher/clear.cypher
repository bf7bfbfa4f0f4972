MATCH (o:Organization)
DETACH DELETE o
