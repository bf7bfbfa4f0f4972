// Taken first by decide_candidate: writing the node takes its exclusive lock, so a concurrent
// decision waits here and then reads what the first one committed. The value written does not
// depend on the node, so no shared lock is taken first and then upgraded (see write_lock).
MATCH (i:Import {id: $id})
SET i.locked_by = randomUUID()
RETURN count(i) AS locked
