// name: shortest_evidence_path
// description: The shortest chain of records between two people (at most 8 steps, through
// any node: shared arrests, phones, calls, vehicles, addresses, seizures). LadybugDB
// dialect: the SHORTEST recursive pattern, properties() over nodes(p)/rels(p), and
// list_transform/list_reduce instead of list comprehensions.
// @param person_a (person, required): The first person: a name in any spelling, an alias, a phone, an ID or a person id. Example: P-8a950755fa9f6604eeaa
// @param person_b (person, required): The second person, named the same ways. Example: P-a334fc374f72906aa712
MATCH (a:Person)
WHERE a.id = $person_a OR a.name = $person_a
MATCH (b:Person)
WHERE (b.id = $person_b OR b.name = $person_b) AND a.id <> b.id
MATCH p = (a)-[* SHORTEST 1..8]-(b)
RETURN a.id AS from_id, b.id AS to_id, length(p) AS hops,
       properties(nodes(p), 'id') AS node_ids,
       list_transform(nodes(p), x -> label(x)) AS node_labels,
       list_transform(rels(p), x -> label(x)) AS rel_types,
       list_reduce(properties(rels(p), 'sources'), (x, y) -> x + y) AS evidence
ORDER BY hops, from_id, to_id
