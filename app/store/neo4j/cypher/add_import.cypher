CREATE (:Import {id: $id, at: $at, body: $body})
