// name: people_linked_to_case
// description: Everyone linked to a case: people arrested in one of its arrests, and people
// whose arrest is linked to one of its seizures. One row per person, with their recorded
// roles, the case's arrests or seizures that link them (`via`) and the arrest records
// (`evidence`).
// @param case_id (string, required): The case id as recorded (CaseFile id). Example: CASE-000019
MATCH (c:CaseFile)<-[:PART_OF]-(e)
WHERE c.id = $case_id OR c.case_id = $case_id
MATCH (e)<-[:LINKED_TO*0..1]-(a:Arrest)<-[r:ARRESTED_IN]-(p:Person)
UNWIND r.sources AS record
RETURN p.id AS person_id, p.name AS name, collect(DISTINCT r.role) AS roles,
       collect(DISTINCT e.id) AS via, collect(DISTINCT record) AS evidence
ORDER BY person_id
