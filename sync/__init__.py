"""The local replica and its sync with CouchDB: store, revision trees, replication, server setup."""
