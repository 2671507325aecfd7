-- What GET /api/v1/cases?limit=50&stage=assistance asks the database for a tenant
-- administrator (see domain/src/cases.rs `list` and `views`), with the page's ids as
-- subqueries where the server sends them as a list. :tenant is set with -D.
BEGIN;
SELECT set_config('app.tenant_id', :tenant, true);
SELECT * FROM cases WHERE tenant_id = :tenant
  AND id IN (SELECT id FROM cases WHERE tenant_id = :tenant)
  AND stage = 'assistance' ORDER BY id ASC LIMIT 50;
SELECT id, case_code FROM clients WHERE tenant_id = :tenant AND id IN (
  SELECT client_id FROM cases WHERE tenant_id = :tenant AND stage = 'assistance'
  ORDER BY id ASC LIMIT 50);
SELECT * FROM case_members WHERE tenant_id = :tenant AND case_id IN (
  SELECT id FROM cases WHERE tenant_id = :tenant AND stage = 'assistance'
  ORDER BY id ASC LIMIT 50) ORDER BY created_at ASC;
COMMIT;
