-- prelude
CREATE SCHEMA IF NOT EXISTS "fx";
CREATE SCHEMA IF NOT EXISTS "fx_assertions";

-- table fx.disabled_table (definitions/disabled_table.sqlx)  -- disabled: not run

-- declaration fx_src.raw_customers (definitions/sources.js)  -- declaration

-- view fx.stg_customers (definitions/stg_customers.sqlx)  -- view: rebuild; replaces an existing table
BEGIN;
DROP TABLE IF EXISTS "fx"."stg_customers" CASCADE;
CREATE OR REPLACE VIEW "fx"."stg_customers" AS

SELECT id, trim(name) AS name, lower(trim(email)) AS email FROM "fx_src"."raw_customers";
COMMIT;

-- table fx.customers (definitions/customers.sqlx)  -- table: rebuild
BEGIN;
CREATE TABLE IF NOT EXISTS fx_src.build_audit (action VARCHAR, built_at TIMESTAMP);
INSERT INTO fx_src.build_audit VALUES ('customers', CURRENT_TIMESTAMP);
DROP TABLE IF EXISTS "fx"."customers" CASCADE;
CREATE TABLE "fx"."customers" AS


SELECT id, name, email FROM "fx"."stg_customers";
COMMENT ON TABLE "fx"."customers" IS 'built by rcu';
COMMIT;

-- table fx.js_emails (definitions/js_actions.js)  -- table: create
BEGIN;
DROP TABLE IF EXISTS "fx"."js_emails" CASCADE;
CREATE TABLE "fx"."js_emails" AS
SELECT DISTINCT email FROM "fx"."customers";
COMMIT;

-- operation fx.op_snapshot (definitions/op_snapshot.sqlx)  -- operation (declares its output)
DROP TABLE IF EXISTS "fx"."op_snapshot" CASCADE;
CREATE TABLE "fx"."op_snapshot" AS SELECT COUNT(*) AS customers FROM "fx"."customers";
INSERT INTO "fx"."op_snapshot" SELECT -1;

-- view fx.after_op (definitions/after_op.sqlx)  -- view: create
BEGIN;
CREATE OR REPLACE VIEW "fx"."after_op" AS

SELECT MAX(customers) AS customers FROM "fx"."op_snapshot";
COMMIT;

-- assertion fx_assertions.fx_customers_assertions_rowConditions (definitions/customers.sqlx)  -- assertion on fx.customers
CREATE OR REPLACE VIEW "fx_assertions"."fx_customers_assertions_rowConditions" AS

SELECT
  'length(email) > 3' AS failing_row_condition,
  *
FROM "fx"."customers"
WHERE NOT (length(email) > 3)
UNION ALL
SELECT
  'id IS NOT NULL' AS failing_row_condition,
  *
FROM "fx"."customers"
WHERE NOT (id IS NOT NULL)
UNION ALL
SELECT
  'email IS NOT NULL' AS failing_row_condition,
  *
FROM "fx"."customers"
WHERE NOT (email IS NOT NULL);
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "fx_assertions"."fx_customers_assertions_rowConditions"
) AS assertion_rows;

-- assertion fx_assertions.fx_customers_assertions_uniqueKey_0 (definitions/customers.sqlx)  -- assertion on fx.customers
CREATE OR REPLACE VIEW "fx_assertions"."fx_customers_assertions_uniqueKey_0" AS

SELECT
  *
FROM (
  SELECT
    "id",
    COUNT(1) AS index_row_count
  FROM "fx"."customers"
  GROUP BY "id"
  ) AS data
WHERE index_row_count > 1;
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "fx_assertions"."fx_customers_assertions_uniqueKey_0"
) AS assertion_rows;

-- declaration fx_src.raw_orders (definitions/sources.js)  -- declaration

-- incremental fx.events_log (definitions/events_log.sqlx)  -- incremental: insert
BEGIN;
INSERT INTO "fx"."events_log" ("order_id", "event", "updated_at")
SELECT "order_id", "event", "updated_at" FROM (

SELECT order_id, 'seen' AS event, updated_at FROM "fx_src"."raw_orders"
WHERE updated_at > (SELECT MAX(updated_at) FROM "fx"."events_log")

) AS s;
COMMIT;

-- incremental fx.orders_inc (definitions/orders_inc.sqlx)  -- incremental: merge on order_id
BEGIN;
CREATE TEMP TABLE "rcu_incoming__orders_inc" AS

SELECT order_id, customer_id, CAST(amount AS DECIMAL(12, 2)) AS amount, updated_at
FROM "fx_src"."raw_orders"
WHERE updated_at > (SELECT MAX(updated_at) FROM "fx"."orders_inc");
DELETE FROM "fx"."orders_inc" USING "rcu_incoming__orders_inc" WHERE "orders_inc"."order_id" = "rcu_incoming__orders_inc"."order_id";
INSERT INTO "fx"."orders_inc" ("order_id", "customer_id", "amount", "updated_at")
SELECT "order_id", "customer_id", "amount", "updated_at" FROM "rcu_incoming__orders_inc";
DROP TABLE "rcu_incoming__orders_inc";
COMMIT;

-- table fx.customer_revenue (definitions/customer_revenue.sqlx)  -- table: create
BEGIN;
DROP TABLE IF EXISTS "fx"."customer_revenue" CASCADE;
CREATE TABLE "fx"."customer_revenue" AS

SELECT c.id, c.email, COALESCE(SUM(o.amount), 0) AS revenue, COUNT(o.order_id) AS orders
FROM "fx"."customers" c LEFT JOIN "fx"."orders_inc" o ON o.customer_id = c.id
GROUP BY c.id, c.email;
COMMIT;

-- assertion fx_assertions.positive_amounts (definitions/positive_amounts.sqlx)  -- assertion
CREATE OR REPLACE VIEW "fx_assertions"."positive_amounts" AS

SELECT * FROM "fx"."orders_inc" WHERE amount < 0;
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "fx_assertions"."positive_amounts"
) AS assertion_rows;
