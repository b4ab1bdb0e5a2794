// Staging: every source of every model contract (rcu.yaml `model:`) mapped onto the contract's
// typed columns, one view per contract (the union of its sources), with lineage to the raw row.
// Blank text is NULL; unparseable numbers, dates and flags become NULL rather than failing the run
// (the identity-quality mart counts them).
const cfg = star_model.config();
const { SCHEMAS, CONTRACTS } = star_model;

const DESCRIPTIONS = {
  products: "Products of every configured product source (model.products).",
  stores: "Stores (points of sale) of every configured store source (model.stores).",
  campaigns: "Marketing campaigns of every configured campaign source (model.campaigns).",
  orders: "Orders and till tickets of every configured orders source (model.orders), typed.",
  order_lines: "Order lines of every configured order-lines source (model.order_lines), typed.",
  web_events: "Web and app events of every configured events source (model.web_events), typed.",
  email_events: "Email sends, opens and clicks of every configured source (model.email_events), typed.",
  interactions: "Contact-centre interactions of every configured source (model.interactions), typed.",
  consents: "Consent changes (granted / withdrawn per channel and purpose) of every configured source (model.consents).",
};

const LINEAGE_DOCS = {
  source: "Name of the model source the row comes from (rcu.yaml model.<contract>.<source>).",
  person_record_key: "The identity person record (person source:record_id) the row belongs to, when the source links one.",
  raw_hash: "_rcu_hash of the raw row (lineage to the landed record).",
  load_id: "Load that landed the raw row (rcu_meta.loads).",
  loaded_at: "When the raw row was landed; the incremental watermark of the facts.",
};

for (const contract of Object.keys(CONTRACTS)) {
  const sources = star_model.sourcesOf(cfg, contract);
  publish(`stg_${contract}`, {
    type: "view",
    schema: SCHEMAS.staging,
    tags: ["star", "staging"],
    description: DESCRIPTIONS[contract],
    columns: { ...LINEAGE_DOCS, ...Object.fromEntries([...Object.keys(CONTRACTS[contract]), ...(contract === "order_lines" ? ["order_source"] : [])].map((f) => [f, star_model.FIELD_DOCS[f]])) },
  }).query((ctx) =>
    sources.length
      ? sources.map(([name, src]) => star_model.stagingSelect(ctx, contract, name, src)).join("\nUNION ALL\n")
      : star_model.emptySelect(contract),
  );
}
