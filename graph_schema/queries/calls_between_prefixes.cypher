// name: calls_between_prefixes
// description: Calls between numbers of two numbering plans in a time window, in either
// direction (by default Laos +856 and Vietnam +84): the cross-border contacts behind a
// corridor. One row per call record, with the people recorded as using each number.
// @param prefix_a (string, default "+856"): E.164 prefix of one side. Example: +856
// @param prefix_b (string, default "+84"): E.164 prefix of the other side. Example: +84
// @param since (date, default "1900-01-01"): First day of the window. Example: 2023-01-01
// @param until (date, default "9999-12-31"): Last day of the window. Example: 2023-12-31
MATCH (a:Phone)-[c:CALLED]->(b:Phone)
WHERE ((a.id STARTS WITH $prefix_a AND b.id STARTS WITH $prefix_b)
    OR (a.id STARTS WITH $prefix_b AND b.id STARTS WITH $prefix_a))
  AND c.first_seen >= date($since) AND c.first_seen <= date($until)
OPTIONAL MATCH (pa:Person)-[:USES]->(a)
WITH a, b, c, collect(DISTINCT pa.id) AS caller_people
OPTIONAL MATCH (pb:Person)-[:USES]->(b)
WITH a, b, c, caller_people, collect(DISTINCT pb.id) AS callee_people
RETURN a.id AS caller, b.id AS callee, c.first_seen AS date, c.count AS calls,
       c.duration_s AS duration_s, caller_people, callee_people, c.sources AS evidence
ORDER BY date, caller, callee
