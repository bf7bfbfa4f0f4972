MATCH (p:Publication {key: $key})
DETACH DELETE p
