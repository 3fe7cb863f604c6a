// name: people_near_gate_seizure
// description: People within two hops of a seizure that crossed a border gate: the people
// arrested for the seizure (Seizure <- Arrest <- Person), and those tied to it through the
// vehicle that carried it (Seizure -> Vehicle <- Person). One row per person, seizure and
// intermediate node; `evidence` holds the records tying the person to that node.
// @param gate (gate, required): Border gate: its id, or its name in any spelling (Cầu Treo, cau treo, Cua khau Cau Treo). Example: Tay Trang
// @param since (date, default "1900-01-01"): Only seizures first seen on or after this day. Example: 2022-01-01
// @param until (date, default "9999-12-31"): Only seizures first seen on or before this day. Example: 2023-12-31
MATCH (g:BorderGate)<-[:CROSSED]-(s:Seizure)
WHERE g.id ENDS WITH $gate
  AND s.first_seen >= date($since) AND s.first_seen <= date($until)
MATCH (s)-[r1]-(m)-[r2]-(p:Person)
RETURN DISTINCT p.id AS person_id, p.name AS name, s.id AS seizure_id, g.name AS gate,
       s.first_seen AS seizure_date, m.id AS via, r2.sources AS evidence
ORDER BY person_id, seizure_id, via
