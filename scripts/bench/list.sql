-- What GET /api/v1/cases?limit=50&stage=assistance asks the database for a tenant
-- administrator (see domain/src/cases.rs `list`, `only_visible`, `with_case_code` and
-- `with_teams`). The server sends the page's case ids to the second query as a list of
-- parameters; here the same ids come from an array sub-query, which PostgreSQL also matches as
-- `case_id = ANY(…)` against the primary key. :tenant is set with -D.
BEGIN;
SELECT set_config('app.tenant_id', :tenant, true);
SELECT cases.*, (SELECT clients.case_code FROM clients
    WHERE clients.tenant_id = cases.tenant_id AND clients.id = cases.client_id) AS case_code
  FROM cases WHERE tenant_id = :tenant
  AND stage = 'assistance' ORDER BY id ASC LIMIT 50;
SELECT * FROM case_members WHERE tenant_id = :tenant AND case_id = ANY (ARRAY(
  SELECT id FROM cases WHERE tenant_id = :tenant AND stage = 'assistance'
  ORDER BY id ASC LIMIT 50)) ORDER BY created_at ASC;
COMMIT;
