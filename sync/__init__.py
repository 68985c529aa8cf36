"""Local replica and CouchDB replication."""
