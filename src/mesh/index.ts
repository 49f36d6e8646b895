// Constructs of this group are exported here as they land.
export {};
