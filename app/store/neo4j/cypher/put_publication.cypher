MERGE (p:Publication {key: $key})
SET p.kind = $kind, p.id = $id, p.body = $body
