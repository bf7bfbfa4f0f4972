UNWIND $ids AS wanted
MATCH (o:Organization {id: wanted})
RETURN o {.*} AS organization
