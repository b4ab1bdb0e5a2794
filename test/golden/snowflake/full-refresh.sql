-- prelude
CREATE SCHEMA IF NOT EXISTS "FX";
CREATE SCHEMA IF NOT EXISTS "FX_ASSERTIONS";

-- table fx.disabled_table (definitions/disabled_table.sqlx)  -- disabled: not run

-- declaration fx_src.raw_customers (definitions/sources.js)  -- declaration

-- view fx.stg_customers (definitions/stg_customers.sqlx)  -- view: rebuild; replaces an existing table
DROP TABLE IF EXISTS "FX"."STG_CUSTOMERS";
CREATE OR REPLACE VIEW "FX"."STG_CUSTOMERS" AS

SELECT id, trim(name) AS name, lower(trim(email)) AS email FROM "FX_SRC"."RAW_CUSTOMERS";

-- table fx.customers (definitions/customers.sqlx)  -- table: rebuild; built beside the old table, then swapped
CREATE TABLE IF NOT EXISTS fx_src.build_audit (action VARCHAR, built_at TIMESTAMP);
INSERT INTO fx_src.build_audit VALUES ('customers', CURRENT_TIMESTAMP);
DROP TABLE IF EXISTS "FX"."CUSTOMERS__RCU_NEW";
CREATE TABLE "FX"."CUSTOMERS__RCU_NEW" AS


SELECT id, name, email FROM "FX"."STG_CUSTOMERS";
DROP TABLE IF EXISTS "FX"."CUSTOMERS";
ALTER TABLE "FX"."CUSTOMERS__RCU_NEW" RENAME TO "FX"."CUSTOMERS";
COMMENT ON TABLE "FX"."CUSTOMERS" IS 'built by rcu';

-- table fx.js_emails (definitions/js_actions.js)  -- table: create; built beside the old table, then swapped
DROP TABLE IF EXISTS "FX"."JS_EMAILS__RCU_NEW";
CREATE TABLE "FX"."JS_EMAILS__RCU_NEW" AS
SELECT DISTINCT email FROM "FX"."CUSTOMERS";
ALTER TABLE "FX"."JS_EMAILS__RCU_NEW" RENAME TO "FX"."JS_EMAILS";

-- operation fx.op_snapshot (definitions/op_snapshot.sqlx)  -- operation (declares its output)
DROP TABLE IF EXISTS "FX"."OP_SNAPSHOT" CASCADE;
CREATE TABLE "FX"."OP_SNAPSHOT" AS SELECT COUNT(*) AS customers FROM "FX"."CUSTOMERS";
INSERT INTO "FX"."OP_SNAPSHOT" SELECT -1;

-- view fx.after_op (definitions/after_op.sqlx)  -- view: create
CREATE OR REPLACE VIEW "FX"."AFTER_OP" AS

SELECT MAX(customers) AS customers FROM "FX"."OP_SNAPSHOT";

-- assertion fx_assertions.fx_customers_assertions_rowConditions (definitions/customers.sqlx)  -- assertion on fx.customers
CREATE OR REPLACE VIEW "FX_ASSERTIONS"."fx_customers_assertions_rowConditions" AS

SELECT
  'length(email) > 3' AS failing_row_condition,
  *
FROM "FX"."CUSTOMERS"
WHERE NOT (length(email) > 3)
UNION ALL
SELECT
  'id IS NOT NULL' AS failing_row_condition,
  *
FROM "FX"."CUSTOMERS"
WHERE NOT (id IS NOT NULL)
UNION ALL
SELECT
  'email IS NOT NULL' AS failing_row_condition,
  *
FROM "FX"."CUSTOMERS"
WHERE NOT (email IS NOT NULL);
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "FX_ASSERTIONS"."fx_customers_assertions_rowConditions"
) AS assertion_rows;

-- assertion fx_assertions.fx_customers_assertions_uniqueKey_0 (definitions/customers.sqlx)  -- assertion on fx.customers
CREATE OR REPLACE VIEW "FX_ASSERTIONS"."fx_customers_assertions_uniqueKey_0" AS

SELECT
  *
FROM (
  SELECT
    "ID",
    COUNT(1) AS index_row_count
  FROM "FX"."CUSTOMERS"
  GROUP BY "ID"
  ) AS data
WHERE index_row_count > 1;
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "FX_ASSERTIONS"."fx_customers_assertions_uniqueKey_0"
) AS assertion_rows;

-- declaration fx_src.raw_orders (definitions/sources.js)  -- declaration

-- incremental fx.events_log (definitions/events_log.sqlx)  -- protected: --full-refresh ignored, appending incrementally; incremental: insert
BEGIN TRANSACTION;
INSERT INTO "FX"."EVENTS_LOG" ("ORDER_ID", "EVENT", "UPDATED_AT")
SELECT "ORDER_ID", "EVENT", "UPDATED_AT" FROM (

SELECT order_id, 'seen' AS event, updated_at FROM "FX_SRC"."RAW_ORDERS"
WHERE updated_at > (SELECT MAX(updated_at) FROM "FX"."EVENTS_LOG")

) AS s;
COMMIT;

-- incremental fx.orders_inc (definitions/orders_inc.sqlx)  -- incremental: full refresh; built beside the old table, then swapped
DROP TABLE IF EXISTS "FX"."ORDERS_INC__RCU_NEW";
CREATE TABLE "FX"."ORDERS_INC__RCU_NEW" AS

SELECT order_id, customer_id, CAST(amount AS DECIMAL(12, 2)) AS amount, updated_at
FROM "FX_SRC"."RAW_ORDERS";
DROP TABLE IF EXISTS "FX"."ORDERS_INC";
ALTER TABLE "FX"."ORDERS_INC__RCU_NEW" RENAME TO "FX"."ORDERS_INC";

-- table fx.customer_revenue (definitions/customer_revenue.sqlx)  -- table: create; built beside the old table, then swapped
DROP TABLE IF EXISTS "FX"."CUSTOMER_REVENUE__RCU_NEW";
CREATE TABLE "FX"."CUSTOMER_REVENUE__RCU_NEW" AS

SELECT c.id, c.email, COALESCE(SUM(o.amount), 0) AS revenue, COUNT(o.order_id) AS orders
FROM "FX"."CUSTOMERS" c LEFT JOIN "FX"."ORDERS_INC" o ON o.customer_id = c.id
GROUP BY c.id, c.email;
ALTER TABLE "FX"."CUSTOMER_REVENUE__RCU_NEW" RENAME TO "FX"."CUSTOMER_REVENUE";

-- assertion fx_assertions.positive_amounts (definitions/positive_amounts.sqlx)  -- assertion
CREATE OR REPLACE VIEW "FX_ASSERTIONS"."POSITIVE_AMOUNTS" AS

SELECT * FROM "FX"."ORDERS_INC" WHERE amount < 0;
SELECT COUNT(*) AS failing_rows FROM (
SELECT * FROM "FX_ASSERTIONS"."POSITIVE_AMOUNTS"
) AS assertion_rows;
