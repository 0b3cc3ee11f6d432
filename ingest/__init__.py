"""Loading, cleaning, chunking and incremental indexing of policy documents."""
