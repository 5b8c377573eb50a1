# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on each month's partition of the observations, as on the table itself.

PostgreSQL applies the partitioned table's policies to queries of that table; a query that
names a partition (sensors_observation_2026_11) is bound only by the partition's own. Without
them the hub's role, which owns the partitions, read every tenant's rows there in any context.
Each partition now copies the parent's switches (ENABLE, FORCE) and policies when it is made,
and this migration gives them to the partitions that exist.
"""

from django.db import migrations

SECURE = """
-- The parent's row-level security on one partition: ENABLE and FORCE as the parent has them,
-- and exactly the parent's policies (any other policy of the partition is dropped).
CREATE FUNCTION sensors_secure_partition(part regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  parent regclass;
  rule record;
BEGIN
  SELECT i.inhparent INTO STRICT parent FROM pg_inherits i WHERE i.inhrelid = part;
  FOR rule IN SELECT polname FROM pg_policy WHERE polrelid = part LOOP
    EXECUTE format('DROP POLICY %I ON %s', rule.polname, part);
  END LOOP;
  IF (SELECT relrowsecurity FROM pg_class WHERE oid = parent) THEN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
  END IF;
  IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = parent) THEN
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', part);
  END IF;
  FOR rule IN
    SELECT p.polname,
           CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS kind,
           CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                         WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
           CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
                ELSE (SELECT string_agg(quote_ident(r.rolname), ', ') FROM pg_roles r
                      WHERE r.oid = ANY (p.polroles)) END AS roles,
           pg_get_expr(p.polqual, p.polrelid) AS qual,
           pg_get_expr(p.polwithcheck, p.polrelid) AS checks
    FROM pg_policy p WHERE p.polrelid = parent
  LOOP
    EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', rule.polname, part, rule.kind,
                   rule.command, rule.roles)
         || coalesce(format(' USING (%s)', rule.qual), '')
         || coalesce(format(' WITH CHECK (%s)', rule.checks), '');
  END LOOP;
END
$fn$;
"""

ENSURE = """
-- Monthly partitions for the months around `around`, created when missing, each behind the
-- table's row-level security.
CREATE OR REPLACE FUNCTION sensors_ensure_partitions(
  around timestamptz, months_back int, months_ahead int
) RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE
  first date := date_trunc('month', around - make_interval(months => months_back));
  made int := 0;
  month date;
  name text;
BEGIN
  FOR i IN 0 .. months_back + months_ahead LOOP
    month := first + make_interval(months => i);
    name := format('sensors_observation_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF sensors_observation FOR VALUES FROM (%L) TO (%L)',
        name, month, month + interval '1 month');
      PERFORM sensors_secure_partition(name::regclass);
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$fn$;
"""

EXISTING = """
SELECT sensors_secure_partition(i.inhrelid::regclass) FROM pg_inherits i
WHERE i.inhparent = 'sensors_observation'::regclass;
"""

# Backwards: the function of 0002 and partitions without security of their own.
PLAIN = """
CREATE OR REPLACE FUNCTION sensors_ensure_partitions(
  around timestamptz, months_back int, months_ahead int
) RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE
  first date := date_trunc('month', around - make_interval(months => months_back));
  made int := 0;
  month date;
  name text;
BEGIN
  FOR i IN 0 .. months_back + months_ahead LOOP
    month := first + make_interval(months => i);
    name := format('sensors_observation_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF sensors_observation FOR VALUES FROM (%L) TO (%L)',
        name, month, month + interval '1 month');
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$fn$;
DO $do$
DECLARE
  part regclass;
  rule record;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits
              WHERE inhparent = 'sensors_observation'::regclass LOOP
    FOR rule IN SELECT polname FROM pg_policy WHERE polrelid = part LOOP
      EXECUTE format('DROP POLICY %I ON %s', rule.polname, part);
    END LOOP;
    EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', part);
    EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', part);
  END LOOP;
END
$do$;
DROP FUNCTION sensors_secure_partition(regclass);
"""


class Migration(migrations.Migration):
    dependencies = [("sensors", "0005_rollup")]

    operations = [migrations.RunSQL(SECURE + ENSURE + EXISTING, PLAIN)]
