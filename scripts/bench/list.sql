-- What GET /api/v1/cases?limit=50&stage=assistance asks the database for a tenant
-- administrator (see domain/src/cases.rs `list`, `only_visible`, `with_case_code` and
-- `page_with_teams`): the tenant setting for row-level security, then the page of cases with
-- their clients' case codes and their team members in one statement. The endpoint ends its
-- read-only transaction with a ROLLBACK (`tenancy::end_read`), so this does too, though pgbench
-- waits for it. :tenant is set with -D.
BEGIN;
SELECT set_config('app.tenant_id', :tenant, true);
SELECT page.*, case_members.user_id AS member_id, case_members.role AS member_role
  FROM (SELECT cases.tenant_id, cases.id, cases.client_id, cases.stage, cases.closure_reason,
               cases.opened_at, cases.closed_at, cases.created_by, cases.created_at,
               cases.updated_at,
               (SELECT clients.case_code FROM clients
                 WHERE clients.tenant_id = cases.tenant_id AND clients.id = cases.client_id)
                 AS case_code
          FROM cases WHERE cases.tenant_id = :tenant AND cases.stage = 'assistance'
         ORDER BY cases.id ASC LIMIT 50) AS page
  LEFT JOIN case_members
    ON case_members.tenant_id = :tenant AND case_members.case_id = page.id
 ORDER BY page.id ASC, case_members.created_at ASC;
ROLLBACK;
