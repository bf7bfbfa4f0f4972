// Whether any organisation is stored, from the count store (no scan). Runs after write_lock,
// so the answer holds until the edit commits.
MATCH (o:Organization)
RETURN count(o) > 0 AS found
