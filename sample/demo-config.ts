/**
 * The rcu.yaml of the demo: the sample estate's files as sources, its five person-bearing sources
 * mapped onto the identity contract (configuration only), and a DuckDB warehouse. Paths are
 * written relative to the project directory when the data lives inside it, so the config moves
 * with the project.
 */
import path from "node:path";

export interface DemoConfigOptions {
  /** The project directory (where definitions/ are). */
  readonly projectDir: string;
  /** Where generateEstate wrote the files. */
  readonly dataDir: string;
  /** The DuckDB file of the demo warehouse. */
  readonly warehouse: string;
  /**
   * The profile's YAML body instead of the DuckDB one (indented under `demo:`), e.g. a Snowflake
   * profile for the cross-engine pipeline test.
   */
  readonly profile?: string;
}

function rel(projectDir: string, p: string): string {
  const r = path.relative(projectDir, p);
  return r.startsWith("..") || path.isAbsolute(r) ? p : r.split(path.sep).join("/");
}

/** A YAML scalar that is always a safe double-quoted string. */
const s = (v: string): string => JSON.stringify(v);

export function demoConfigYaml(o: DemoConfigOptions): string {
  const d = (p: string) => s(rel(o.projectDir, path.join(o.dataDir, p)));
  return `# rcu demo: the sample estate of a fictional French omnichannel retailer (rcu demo).
# Regenerate with: rcu demo --people N --out <dir>. Run with: rcu run --config <this file>.
default_profile: demo
profiles:
  demo:
${o.profile ?? `    engine: duckdb
    path: ${s(rel(o.projectDir, o.warehouse))}
    # DuckDB otherwise lets its buffer pool grow to 80 % of RAM.
    options: { memory_limit: "4GB" }`}
threads: 2

sources:
  crm:
    type: files
    format: csv
    csv: { delimiter: ";", encoding: windows-1252 }
    streams:
      contacts: { path: ${d("crm/contacts.csv")}, primary_key: [id_contact], write_disposition: merge }
  eshop:
    type: files
    format: jsonl
    streams:
      customers: { path: ${d("eshop/customers.jsonl")}, primary_key: [id], write_disposition: merge }
      orders: { path: ${d("eshop/orders.jsonl")}, primary_key: [id], write_disposition: merge }
      order_lines: { path: ${d("eshop/order_lines.jsonl")}, write_disposition: replace }
      products: { path: ${d("eshop/products.jsonl")}, primary_key: [sku], write_disposition: merge }
  web:
    type: files
    format: jsonl
    streams:
      events: { path: ${d("web/events.jsonl")}, write_disposition: replace }
  email:
    type: files
    format: csv
    streams:
      subscribers: { path: ${d("email/subscribers.csv")}, primary_key: [subscriber_id], write_disposition: merge }
      campaigns: { path: ${d("email/campaigns.csv")}, write_disposition: replace }
  email_events:
    type: files
    format: jsonl
    streams:
      events: { path: ${d("email/events.jsonl")}, write_disposition: replace }
  contact_centre:
    type: files
    format: json
    streams:
      tickets: { path: ${d("contact_centre/tickets.json")}, primary_key: [ticket_id], write_disposition: merge }
  stores:
    type: files
    format: csv
    csv: { delimiter: ";" }
    streams:
      stores: { path: ${d("stores/stores.csv")}, write_disposition: replace }
      loyalty_cards: { path: ${d("stores/loyalty_cards.csv")}, primary_key: [num_carte], write_disposition: merge }
      purchases: { path: ${d("stores/purchases.csv")}, write_disposition: replace }

identity:
  default_country: FR
  person_sources:
    crm_contacts:
      relation: raw.crm_contacts
      record_id: id_contact
      trust: 1
      email: email
      phone: telephone
      title: civilite
      first_name: prenom
      last_name: nom
      birth_date: date_naissance
      address_line: adresse
      postcode: code_postal
      city: ville
      updated_at: { timestamp: date_maj, format: "DD/MM/YYYY HH24:MI" }
    eshop_customers:
      relation: raw.eshop_customers
      record_id: id
      trust: 2
      email: email
      phone: phone
      first_name: first_name
      last_name: last_name
      birth_date: birth_date
      address_line: { json: address, path: line1 }
      postcode: { json: address, path: postcode }
      city: { json: address, path: city }
      country: { json: address, path: country }
      updated_at: updated_at
      identifiers:
        eshop_customer_id: id
    stores_loyalty_cards:
      relation: raw.stores_loyalty_cards
      record_id: num_carte
      trust: 2
      email: email
      phone: telephone
      title: civilite
      first_name: prenom
      last_name: nom
      birth_date: date_naissance
      address_line: adresse
      postcode: code_postal
      city: ville
    email_subscribers:
      relation: raw.email_subscribers
      record_id: subscriber_id
      # One subscription per person: two are two people, even with one household mailbox.
      one_record_per_person: true
      trust: 3
      email: email
      first_name: first_name
      last_name: last_name
      updated_at: created_at
    contact_centre_tickets:
      relation: raw.contact_centre_tickets
      record_id: ticket_id
      trust: 5
      email: email
      phone: phone
      # Agents type the name in one field ("Mme Dupont", "LE GALL Hervé", "Anne Sophie Garnier"):
      # rcu splits it (honorifics, capitals, particles; see docs/identity.md); "Mme" / "M." is the title.
      full_name: customer_name
      updated_at: opened_at
      identifiers:
        # The e-shop order number a caller quoted leads to the e-shop account.
        # MIN, not LIMIT 1: Snowflake runs a correlated scalar subquery only when it is an aggregate.
        eshop_customer_id: { sql: ${s("(SELECT MIN(CAST(o.customer_id AS VARCHAR)) FROM raw.eshop_orders AS o WHERE o.number = order_ref)")} }
  # Identifiers seen in events rather than carried by records: each device an e-shop account
  # logged in on. Two accounts used on one device link when their first names agree (a family
  # tablet does not glue a couple); a device seen with too many accounts links nobody.
  sightings:
    web_logins:
      relation: raw.web_events
      person: { source: eshop_customers, key: customer_id }
      where: { sql: "type = 'login'" }
      seen_at: ts
      identifiers:
        device: device_id
model:
  # The estate ends on 2026-10-31: measure recency from there, so the marts do not age.
  as_of: "2026-10-31"
  products:
    eshop: { relation: raw.eshop_products, product_id: sku, name: name, category: category, price: price_eur }
  stores:
    stores: { relation: raw.stores_stores, store_id: code_magasin, name: nom, city: ville, postcode: code_postal, country: { value: FR } }
  campaigns:
    email: { relation: raw.email_campaigns, campaign_id: campaign_id, name: name, subject: subject, sent_at: sent_at, channel: { value: email } }
  orders:
    eshop:
      relation: raw.eshop_orders
      order_id: id
      person: { source: eshop_customers, key: customer_id }
      ordered_at: created_at
      updated_at: updated_at
      amount: total_eur
      currency: currency
      status: status
      is_revenue: { sql: ${s("status NOT IN ('cancelled', 'returned')")} }
      channel: { value: web }
      postcode: shipping_postcode
    stores:
      relation: raw.stores_purchases
      order_id: num_ticket
      # Anonymous tickets have no card number: the link is simply empty.
      person: { source: stores_loyalty_cards, key: num_carte }
      ordered_at: date_achat
      amount: { sql: ${s("replace(montant_ttc, ',', '.')")} }
      currency: { value: EUR }
      channel: { value: store }
      store_id: code_magasin
      items: nb_articles
  order_lines:
    eshop: { relation: raw.eshop_order_lines, order_source: eshop, order_id: order_id, line_no: line_no, product_id: sku, quantity: quantity, unit_price: unit_price_eur }
  web_events:
    web:
      relation: raw.web_events
      occurred_at: ts
      device_id: device_id
      type: type
      url: url
      product_id: sku
      quantity: quantity
      # Login events carry the e-shop customer id: that is when a device becomes known.
      person: { source: eshop_customers, key: customer_id }
  email_events:
    email: { relation: raw.email_events_events, occurred_at: ts, type: type, campaign_id: campaign_id, person: { source: email_subscribers, key: subscriber_id } }
  interactions:
    contact_centre:
      relation: raw.contact_centre_tickets
      interaction_id: ticket_id
      occurred_at: opened_at
      channel: channel
      subject: subject
      status: status
      agent: agent
      person: { source: contact_centre_tickets, key: ticket_id }
  consents:
    # The emailing platform: the opt-in, and the unsubscription when there is one.
    email_optin: { relation: raw.email_subscribers, person: { source: email_subscribers, key: subscriber_id }, channel: { value: email }, status: { value: granted }, changed_at: consent_at }
    email_optout: { relation: raw.email_subscribers, person: { source: email_subscribers, key: subscriber_id }, channel: { value: email }, status: { value: withdrawn }, changed_at: unsubscribed_at }
    # The e-shop's marketing checkbox, as of the account's last update.
    eshop_marketing: { relation: raw.eshop_customers, person: { source: eshop_customers, key: id }, channel: { value: email }, status: accepts_marketing, changed_at: updated_at }
  segments:
    win_back_big_spenders:
      description: Customers among the top spenders who have stopped buying, for a win-back offer.
      purpose: marketing
      where: ${s("m_score >= 4 AND lifecycle_stage IN ('at_risk', 'lapsed')")}
    welcome_new_customers:
      description: First purchase in the last 90 days, for the welcome journey.
      purpose: marketing
      where: ${s("lifecycle_stage = 'new'")}
    engaged_email_readers:
      description: Opened an email in the last 90 days and hold email consent, for newsletters.
      purpose: marketing
      where: ${s("email_opens_90d > 0 AND consent_email = 'granted'")}
    open_service_tickets:
      description: Customers with an open contact-centre ticket, for the service team (not marketing).
      purpose: service
      where: ${s("open_tickets > 0")}
`;
}
