"""GraphQL for the graph as a whole: any node by id, search, links of any kind and the network canvas."""
