// name: phones_shared_by_arrestees
// description: Phones used by two or more arrested people (a person with at least one
// ARRESTED_IN): burner and shared handsets that tie otherwise separate arrests together.
// One row per phone; `evidence` holds the records that put each person on the phone.
// @param min_people (int, default 2): Only phones used by at least this many arrestees. Example: 3
MATCH (p:Person)-[u:USES]->(f:Phone)
WHERE EXISTS { MATCH (p)-[:ARRESTED_IN]->(:Arrest) }
WITH f, collect(p.id) AS person_ids, collect(p.name) AS names, collect(u.sources) AS records
WHERE size(person_ids) >= $min_people
UNWIND records AS record_list
UNWIND record_list AS record
WITH f, person_ids, names, collect(DISTINCT record) AS evidence
RETURN f.id AS phone, f.region AS region, size(person_ids) AS people, person_ids, names,
       evidence
ORDER BY people DESC, phone
