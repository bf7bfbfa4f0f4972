UNWIND $ids AS wanted
MATCH (o:Organization {id: wanted})
DETACH DELETE o
