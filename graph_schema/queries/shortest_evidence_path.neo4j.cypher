// name: shortest_evidence_path
// description: The shortest chain of records between two people (at most 8 steps, through
// any node: shared arrests, phones, calls, vehicles, addresses, seizures). Neo4j 5 dialect:
// shortestPath() and list comprehensions.
// @param person_a (person, required): The first person: a name in any spelling, an alias, a phone, an ID or a person id. Example: P-8a950755fa9f6604eeaa
// @param person_b (person, required): The second person, named the same ways. Example: P-a334fc374f72906aa712
MATCH (a:Person)
WHERE a.id = $person_a OR a.name = $person_a
MATCH (b:Person)
WHERE (b.id = $person_b OR b.name = $person_b) AND a.id <> b.id
MATCH p = shortestPath((a)-[*..8]-(b))
RETURN a.id AS from_id, b.id AS to_id, length(p) AS hops,
       [n IN nodes(p) | n.id] AS node_ids,
       [n IN nodes(p) | labels(n)[0]] AS node_labels,
       [r IN relationships(p) | type(r)] AS rel_types,
       reduce(acc = [], r IN relationships(p) | acc + coalesce(r.sources, [])) AS evidence
ORDER BY hops, from_id, to_id
