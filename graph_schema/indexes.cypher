// Named indexes of the Neo4j store; applied idempotently by `solgraph db init`.
CREATE INDEX organization_sort_key IF NOT EXISTS FOR (o:Organization) ON (o.sort_key);
CREATE INDEX organization_type IF NOT EXISTS FOR (o:Organization) ON (o.type);
CREATE INDEX organization_movement IF NOT EXISTS FOR (o:Organization) ON (o.movement);
CREATE INDEX change_entity_id IF NOT EXISTS FOR (c:Change) ON (c.entity_id);
CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at);
