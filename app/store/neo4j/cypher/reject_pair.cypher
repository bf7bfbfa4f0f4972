// A rejected duplicate pair, kept once: a pair already kept keeps its first body.
MERGE (p:RejectedPair {first: $first, second: $second})
ON CREATE SET p.body = $body
RETURN p.body AS body
