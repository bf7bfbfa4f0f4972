MATCH (o:Organization {id: $id})
RETURN o {.*} AS organization
