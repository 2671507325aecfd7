-- What GET /api/v1/cases?limit=50&stage=assistance asks the database for a tenant
-- administrator (see domain/src/cases.rs `list`, `with_case_code` and `with_teams`), with the
-- page's ids as a subquery where the server sends them as a list. :tenant is set with -D.
BEGIN;
SELECT set_config('app.tenant_id', :tenant, true);
SELECT cases.*, (SELECT clients.case_code FROM clients
    WHERE clients.tenant_id = cases.tenant_id AND clients.id = cases.client_id) AS case_code
  FROM cases WHERE tenant_id = :tenant
  AND id IN (SELECT id FROM cases WHERE tenant_id = :tenant)
  AND stage = 'assistance' ORDER BY id ASC LIMIT 50;
SELECT * FROM case_members WHERE tenant_id = :tenant AND case_id IN (
  SELECT id FROM cases WHERE tenant_id = :tenant AND stage = 'assistance'
  ORDER BY id ASC LIMIT 50) ORDER BY created_at ASC;
COMMIT;
