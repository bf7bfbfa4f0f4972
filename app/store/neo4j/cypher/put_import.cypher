// Runs after lock_import, which holds the node's exclusive lock.
MATCH (i:Import {id: $id})
SET i.body = $body
