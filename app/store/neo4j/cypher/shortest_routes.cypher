// Every shortest route from $start to $end over ties of $types followed either way, at most
// $max_depth ties long, avoiding the ties and organisations named in $skip_ties and
// $skip_organizations, as one row: the records of the two ends (null if unknown); each tie
// of any route once, with the organisation it is taken from and how many ties lie before it
// (steps); and the record of every organisation on a route but $start (organizations); both
// empty when there is none.
// A quantifier takes no parameter, so each longest route the store searches for (1 to 6
// ties, MAX_ROUTE in store.py) has its own branch, and only the branch of $max_depth runs:
// the others stop at their WHERE, before any search.
OPTIONAL MATCH (a:Organization {id: $start})
OPTIONAL MATCH (b:Organization {id: $end})
CALL (a, b) {
  CALL (a, b) {
    WITH a, b WHERE $max_depth = 1
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,1}
      (b)
    RETURN p
    UNION ALL
    WITH a, b WHERE $max_depth = 2
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,2}
      (b)
    RETURN p
    UNION ALL
    WITH a, b WHERE $max_depth = 3
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,3}
      (b)
    RETURN p
    UNION ALL
    WITH a, b WHERE $max_depth = 4
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,4}
      (b)
    RETURN p
    UNION ALL
    WITH a, b WHERE $max_depth = 5
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,5}
      (b)
    RETURN p
    UNION ALL
    WITH a, b WHERE $max_depth = 6
    MATCH p = ALL SHORTEST (a)
      (()-[r WHERE type(r) IN $types AND NOT r.id IN $skip_ties]-
       (n:Organization WHERE NOT n.id IN $skip_organizations)){1,6}
      (b)
    RETURN p
  }
  UNWIND range(0, length(p) - 1) AS hop
  WITH DISTINCT relationships(p)[hop] AS r, nodes(p)[hop] AS near, nodes(p)[hop + 1] AS far, hop
  RETURN
    collect({
      relationship: r {.*, type: type(r), source: startNode(r).id, target: endNode(r).id},
      near: near.id,
      hop: hop
    }) AS steps,
    collect(DISTINCT far) AS reached
}
RETURN a {.*} AS start, b {.*} AS end, steps, [o IN reached | o {.*}] AS organizations
