// Geography: every postcode the estate knows (golden-record addresses, stores, order shipping
// addresses), normalised, with its city, and for France its département and region
// (rcu_reference.ref_fr_departments). Facts and users join on geography_key (country:postcode).
const { SCHEMAS, UNKNOWN, q, lit } = star_model;
const idCfg = identity_model.config();
const stg = (ctx, c) => ctx.ref(SCHEMAS.staging, `stg_${c}`);

publish("dim_geography", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "dimension"],
  description: "Postcodes (country:postcode) with city, and département and region for France; plus the unknown member.",
  columns: {
    geography_key: "country:postcode (e.g. FR:75011); 'unknown' for the unknown member.",
    country: "ISO 3166-1 alpha-2 code.",
    postcode: "Normalised postcode.",
    city: "Most frequent city written with this postcode.",
    department_code: "French département (INSEE code), from the postcode; NULL outside France.",
    department_name: "Département name.",
    region_name: "French region.",
  },
  assertions: { uniqueKey: ["geography_key"], nonNull: ["geography_key"] },
}).query((ctx) => {
  const country = (expr) => `COALESCE(NULLIF(upper(trim(${expr})), ''), ${lit(idCfg.default_country)})`;
  const pc = (expr, ctry) => address.postcode(expr, ctry);
  return `WITH seen AS (
  SELECT country, postcode, city FROM ${ctx.ref(SCHEMAS.core, "users")} WHERE postcode IS NOT NULL
  UNION ALL
  SELECT c, ${pc("postcode", "c")}, city FROM (SELECT ${country("country")} AS c, postcode, city FROM ${stg(ctx, "stores")}) AS s
  UNION ALL
  SELECT c, ${pc("postcode", "c")}, NULL FROM (SELECT ${country("country")} AS c, postcode FROM ${stg(ctx, "orders")}) AS o
), cities AS (
  SELECT country, postcode, city, ROW_NUMBER() OVER (PARTITION BY country, postcode ORDER BY COUNT(*) DESC, city) AS rn
  FROM seen WHERE postcode IS NOT NULL AND city IS NOT NULL GROUP BY country, postcode, city
), codes AS (
  SELECT DISTINCT country, postcode FROM seen WHERE postcode IS NOT NULL
), located AS (
  SELECT c.country, c.postcode, ci.city,
    CASE WHEN c.country <> 'FR' THEN NULL
         WHEN c.postcode LIKE '97%' THEN substr(c.postcode, 1, 3)
         WHEN c.postcode LIKE '20%' THEN CASE WHEN c.postcode < '20200' THEN '2A' ELSE '2B' END
         ELSE substr(c.postcode, 1, 2) END AS department_code
  FROM codes AS c LEFT JOIN cities AS ci ON ci.country = c.country AND ci.postcode = c.postcode AND ci.rn = 1
)
SELECT l.country || ':' || l.postcode AS geography_key, l.country, l.postcode, l.city,
  d.department_code, d.department_name, d.region_name
FROM located AS l LEFT JOIN ${ctx.ref("rcu_reference", "ref_fr_departments")} AS d ON d.department_code = l.department_code
UNION ALL
SELECT ${lit(UNKNOWN)}, NULL, NULL, NULL, NULL, NULL, NULL`;
});

