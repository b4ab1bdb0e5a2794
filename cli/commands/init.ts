/**
 * `rcu init DIR`: a new rcu project, ready to run — the standard RCU model (definitions/,
 * includes/, workflow_settings.yaml copied from this rcu), a sample estate in data/ with an
 * rcu.yaml mapping it (the demo's), commented examples for every connector kind and destination,
 * and a .gitignore. `cd DIR && rcu run` builds the customer reference on a local DuckDB file.
 */
import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { RcuError } from "../../engine/errors.js";
import { generateEstate } from "../../sample/generate.js";
import { demoConfigYaml } from "../../sample/demo-config.js";
import { stylesFor, type CliIO } from "../io.js";
import { rcuPackageRoot } from "../project.js";

export interface InitOptions {
  readonly people: number;
  readonly sample: boolean;
  readonly force?: boolean;
}

/**
 * Examples of every source kind and destination, valid as written once uncommented (a test
 * parses them). Secrets are environment variables named here, never values.
 */
export const SOURCE_EXAMPLES = `sources:
  erp:                               # CSV exports dropped by the ERP, every file of a folder
    type: files
    format: csv
    csv: { delimiter: ";", encoding: windows-1252 }
    freshness: { warn_after: 26h, error_after: 3d }
    streams:
      invoices: { path: "exports/erp/invoices_*.csv", primary_key: [invoice_id], write_disposition: merge }
  eshop_api:                         # a JSON API, incremental on updated_at, token from the environment
    type: http
    base_url: https://shop.example.com/api/
    headers: { Authorization: { env: ESHOP_TOKEN, prefix: "Bearer " } }
    streams:
      customers:
        path: v1/customers
        records_path: data
        pagination: { type: cursor, cursor_param: cursor, cursor_path: meta.next_cursor }
        incremental: { cursor_field: updated_at, param: updated_since }
        primary_key: [id]
        write_disposition: merge
  crm_db:                            # the CRM's PostgreSQL database, incremental on a column
    type: postgres
    url_env: CRM_DATABASE_URL
    streams:
      contacts: { table: public.contacts, cursor_column: updated_at, primary_key: [id], write_disposition: merge }
      open_deals: { query: "SELECT id, contact_id, amount FROM deals WHERE status = 'open'", write_disposition: replace }
destinations:
  newsletter:                        # the emailing platform: consenting members of a segment
    type: http
    base_url: https://api.mailer.example.com/
    headers: { Authorization: { env: MAILER_TOKEN, prefix: "Bearer " } }
    upsert: { path: v1/contacts/batch }
    delete: { path: v1/contacts/delete }
    segment: engaged_email_readers
    purpose: marketing
    consent: { channel: email }
    columns: { email: email, first_name: first_name }
  contact_centre:                    # a daily file for the contact centre (service: no consent needed)
    type: file
    format: csv
    dir: exports/contact_centre
    purpose: service
    legal_basis: contract
    columns: { email: email, phone: phone, open_tickets: open_tickets }
`;

const commented = (yaml: string) =>
  yaml
    .split("\n")
    .map((l) => (l ? `# ${l}` : "#"))
    .join("\n");

export async function initCommand(dirArg: string, opts: InitOptions, io: CliIO): Promise<number> {
  const s = stylesFor(io);
  const dir = path.resolve(io.cwd, dirArg);
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length && !opts.force) {
    throw new RcuError("USAGE", `${dir} is not empty; rcu init writes a new project.`, { hint: "Choose a new directory, or pass --force to write into this one." });
  }
  await mkdir(dir, { recursive: true });
  const root = rcuPackageRoot();
  for (const item of ["definitions", "includes", "workflow_settings.yaml"]) {
    await cp(path.join(root, item), path.join(dir, item), { recursive: true, force: true });
  }
  const dataDir = path.join(dir, "data");
  if (opts.sample) {
    io.stdout.write(`Generating a sample estate of ${opts.people.toLocaleString("en")} people in data/ …\n`);
    await generateEstate({ people: opts.people, seed: 42, outDir: dataDir, workers: 0 });
  }
  const demo = demoConfigYaml({ projectDir: dir, dataDir, warehouse: path.join(dir, "warehouse.duckdb") }).replace(
    /^# rcu demo:.*\n# Regenerate.*\n/,
    "",
  );
  const header = `# rcu project configuration (see the rcu README and docs/ for every key).
# Run:  rcu run      (extract the sources below, then build the model on ./warehouse.duckdb)
#       rcu status   (what ran, how fresh each source is)
#
# Below: the sample estate in data/ (a fictional retailer's CRM, e-shop, web, email, contact
# centre and stores), mapped onto the identity and star-schema contracts. Replace it with your
# own systems; the commented examples show every connector kind and destination.
#
${commented(SOURCE_EXAMPLES)}
`;
  await writeFile(path.join(dir, "rcu.yaml"), opts.sample ? `${header}\n${demo}` : `${header}\ndefault_profile: local\nprofiles:\n  local: { engine: duckdb, path: ./warehouse.duckdb }\n`);
  await writeFile(path.join(dir, ".gitignore"), "warehouse.duckdb\nwarehouse.duckdb.wal\ntarget/\nexports/\nnode_modules/\n");
  io.stdout.write(
    [
      s.bold(`New rcu project in ${path.relative(io.cwd, dir) || "."}`),
      "  definitions/, includes/, workflow_settings.yaml   the standard RCU model (Dataform)",
      `  rcu.yaml                                          ${opts.sample ? "the sample estate's sources and mappings, " : ""}commented examples of every connector`,
      ...(opts.sample ? ["  data/                                             the sample estate (with truth/persons.csv)"] : []),
      `Next: cd ${path.relative(io.cwd, dir) || "."} && rcu run`,
      "",
    ].join("\n"),
  );
  return 0;
}
