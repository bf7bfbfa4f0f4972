MATCH (p:RejectedPair)
RETURN p.body AS body
ORDER BY p.first, p.second
