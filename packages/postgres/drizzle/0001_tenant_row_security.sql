-- Row-level security for tenant-scoped reads (dashboards behind embed tokens). A read made for one tenant
-- runs inside its own transaction as the NOLOGIN role usagepilot_tenant (SET LOCAL ROLE), with the tenant's
-- dimensions as JSON in the transaction-local setting usagepilot.tenant; the policies show any role but the
-- owner only the rows whose dimensions contain them, so a bug in a query's WHERE still cannot reach another
-- tenant. The owner (the application's own role) is not subject to them: writes and other reads are unchanged.
DO $$
BEGIN
  CREATE ROLE usagepilot_tenant NOLOGIN;
EXCEPTION
  -- The role is cluster-wide: another database (or a concurrent migration) may have made it already.
  WHEN duplicate_object OR unique_violation THEN NULL;
  -- An owner without CREATEROLE still migrates; a DBA can create the role (or another) and grant it later.
  WHEN insufficient_privilege THEN RAISE WARNING 'usagepilot: could not create role usagepilot_tenant; tenant-scoped reads need a non-owner role with SELECT on the usagepilot tables';
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'usagepilot_tenant') THEN
    -- A non-superuser owner must be a member to SET ROLE; superusers may switch to any role already.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'usagepilot_tenant', 'MEMBER') THEN
      EXECUTE format('GRANT usagepilot_tenant TO %I', current_user);
    END IF;
    GRANT USAGE ON SCHEMA "usagepilot" TO usagepilot_tenant;
    GRANT SELECT ON "usagepilot"."events", "usagepilot"."rollups_hourly", "usagepilot"."rollup_units_hourly" TO usagepilot_tenant;
  END IF;
EXCEPTION
  WHEN insufficient_privilege THEN RAISE WARNING 'usagepilot: could not grant role usagepilot_tenant to %', current_user;
END $$;
--> statement-breakpoint
-- The tenant of the current transaction, or NULL (no row visible) when unset, not an object, or empty:
-- an empty object would contain every row's dimensions.
CREATE FUNCTION "usagepilot"."current_tenant"() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN jsonb_typeof(tenant) = 'object' AND tenant <> '{}'::jsonb THEN tenant END
  FROM (SELECT nullif(current_setting('usagepilot.tenant', true), '')::jsonb AS tenant) AS setting
$$;
--> statement-breakpoint
ALTER TABLE "usagepilot"."events" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "usagepilot"."rollups_hourly" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "usagepilot"."rollup_units_hourly" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_reads_own_events" ON "usagepilot"."events" FOR SELECT TO PUBLIC
  USING ("dimensions" @> "usagepilot"."current_tenant"());
--> statement-breakpoint
CREATE POLICY "tenant_reads_own_rollups" ON "usagepilot"."rollups_hourly" FOR SELECT TO PUBLIC
  USING ("dimensions" @> "usagepilot"."current_tenant"());
--> statement-breakpoint
-- Unit rollups carry no dimensions: a row is visible when the rollup row it belongs to is (that subquery is
-- itself filtered by the policy above).
CREATE POLICY "tenant_reads_own_unit_rollups" ON "usagepilot"."rollup_units_hourly" FOR SELECT TO PUBLIC
  USING (EXISTS (
    SELECT 1 FROM "usagepilot"."rollups_hourly" AS r
    WHERE r."hour" = "rollup_units_hourly"."hour" AND r."dimensions_hash" = "rollup_units_hourly"."dimensions_hash"
  ));
