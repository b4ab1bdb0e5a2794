#!/usr/bin/env node
/**
 * The `rcu` command line. Parses flags (commander) and config (zod) at the edge, calls the engine,
 * maps outcomes to exit codes: 0 all good, 1 failed actions/assertions or a broken project,
 * 2 usage or configuration errors, 75 the warehouse is busy with another rcu process (run lock). Only this file touches `process`.
 *
 * Commands are imported lazily: `rcu compile` must not pay for loading warehouse drivers.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { pathToFileURL } from "node:url";
import { RcuError } from "../engine/errors.js";
import { stylesFor, type CliIO } from "./io.js";
import { rcuVersion } from "./project.js";

const USAGE_CODES = new Set(["USAGE", "CONFIG", "SELECTION"]);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1.");
  return n;
}

function logFormat(value: string): "text" | "json" {
  if (value !== "text" && value !== "json") throw new InvalidArgumentError('expected "text" or "json".');
  return value;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number of seconds (0 or more).");
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a whole number.");
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("rcu")
    .description("rcu: a warehouse-native single customer view. Lands sources, compiles Dataform definitions and runs them on embedded DuckDB, Snowflake, PostgreSQL or Amazon Redshift, resolves identities into one users table, builds the star schema and marts, and feeds business tools with consent.")
    .version(rcuVersion())
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)");

  const common = (cmd: Command) =>
    cmd
      .option("--project-dir <dir>", "the Dataform project (definitions/, includes/, workflow_settings.yaml, rcu.yaml)", ".")
      .option("--profile <name>", "warehouse profile from rcu.yaml (default: default_profile, else 'local': DuckDB ./warehouse.duckdb)")
      .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml (its relative paths stay relative to the project dir)")
      .option("--vars <k=v,...>", "override workflow_settings.yaml vars (repeatable)", collect)
      .option("--json", "machine-readable output on stdout");

  const selection = (cmd: Command) =>
    cmd
      .option("-s, --select <selector>", "actions to include: name, schema.name, tag:x, +name (with upstream), name+ (with downstream); repeatable or comma-separated", collect)
      .option("--full-refresh", "rebuild incremental tables from scratch (except protected ones)");

  const action = (fn: (opts: any) => Promise<number>) => async (opts: any) => setExit(await fn(opts));

  common(program.command("compile").description("compile the project and list its actions (no warehouse access)"))
    .action(action(async (o) => (await import("./commands/compile.js")).compileCommand(o, io)));

  selection(common(program.command("plan").description("print the exact statements `run` would execute (reads warehouse metadata only)")))
    .action(action(async (o) => (await import("./commands/plan.js")).planCommand(o, io)));

  selection(common(program.command("run").description("extract the sources of rcu.yaml (if any), then compile, plan and execute the selected actions")))
    .option("-t, --threads <n>", "actions run in parallel (default: rcu.yaml threads, else 4)", positiveInt)
    .option("--skip-extract", "do not land sources first (transform only)")
    .option("--log-format <format>", "text (default) or json: one JSON object per event on stderr, for log shippers", logFormat, "text")
    .option("--wait-lock <seconds>", "if another rcu process holds the warehouse's run lock, wait up to this long (default: exit 75 at once)", nonNegativeInt, 0)
    .option("--break-lock", "take the run lock even if held (only when its holder is known to be gone)")
    .option("--skip-transform", "only land sources")
    .addHelpText("after", `
When rcu.yaml declares sources, they are extracted first (see rcu extract); --skip-extract and
--skip-transform run one half. Results are written to target/run_results.json (the latest run), target/runs/<run id>/
(each run's own) and to the warehouse tables rcu_meta.runs and
rcu_meta.action_runs. Exit codes: 0 success, 1 failed actions or assertions, 2 usage/config errors.

Examples:
  rcu run                                  extract sources, then build everything on ./warehouse.duckdb
  rcu run --select +users --threads 2      users and everything it depends on
  rcu run --select tag:daily --json        tagged actions, JSON results on stdout
  rcu run --full-refresh --vars country=FR rebuild incrementals with a var override`)
    .action(action(async (o) => (await import("./commands/run.js")).runCommand(o, io)));

  common(program.command("extract [sources...]").description("land the sources of rcu.yaml in raw tables (all, or the named source / source.stream)"))
    .option("--full", "ignore saved file fingerprints and cursors: re-read every input (merge streams upsert, append streams land rows again)")
    .option("--log-format <format>", "text (default) or json: one JSON object per event on stderr, for log shippers", logFormat, "text")
    .option("--wait-lock <seconds>", "if another rcu process holds the warehouse's run lock, wait up to this long (default: exit 75 at once)", nonNegativeInt, 0)
    .option("--break-lock", "take the run lock even if held (only when its holder is known to be gone)")
    .action(async (sources: string[], o: any) => setExit(await (await import("./commands/extract.js")).extractCommand(sources, o, io)));

  program
    .command("status")
    .description("recent runs and loads, and the freshness of every source")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--profile <name>", "warehouse profile from rcu.yaml")
    .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
    .option("--limit <n>", "how many runs and loads to list", positiveInt, 10)
    .option("--json", "machine-readable output")
    .action(action(async (o) => (await import("./commands/status.js")).statusCommand(o, io)));

  program
    .command("sync")
    .description("send the records of each destination (rcu.yaml destinations:) that changed since its last sync: only consenting users, with an audit trail")
    .argument("[destination...]", "destinations to sync (default: all)")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--profile <name>", "warehouse profile from rcu.yaml")
    .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
    .option("--full", "resend every current record, not only the changes")
    .option("--dry-run", "count what would be sent, send nothing")
    .option("--wait-lock <seconds>", "if another rcu process holds the warehouse's run lock, wait up to this long (default: exit 75 at once)", nonNegativeInt, 0)
    .option("--break-lock", "take the run lock even if held (only when its holder is known to be gone)")
    .option("--json", "machine-readable output")
    .action(async (names: string[], o: any) => setExit(await (await import("./commands/sync.js")).syncCommand(names, o, io)));

  program
    .command("forget")
    .description("erase a person everywhere (GDPR): raw tables, identity, star schema, marts, sync state and destinations; suppress re-landing; report what was removed where")
    .option("--email <email>", "the person's email (normalised as identity resolution does)")
    .option("--phone <phone>", "the person's phone (any format; default country from rcu.yaml)")
    .option("--user-id <id>", "the person's user_id (a merged id is followed)")
    .option("--source-record <source:id>", "one of the person's source records, e.g. crm_contacts:CT123")
    .option("--dry-run", "report what would be removed, change nothing")
    .option("--all-matches", "erase every person the selector matches (otherwise several matches is an error)")
    .option("--no-verify", "skip the final scan of every table for the person's identifiers")
    .option("--wait-lock <seconds>", "if another rcu process holds the warehouse's run lock, wait up to this long (default: exit 75 at once)", nonNegativeInt, 0)
    .option("--break-lock", "take the run lock even if held (only when its holder is known to be gone)")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--profile <name>", "warehouse profile from rcu.yaml")
    .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
    .option("--json", "machine-readable erasure report")
    .action(action(async (o) => (await import("./commands/forget.js")).forgetCommand(o, io)));

  common(program.command("docs").description("write the browsable catalogue: every source, model, assertion and mart with descriptions, columns, SQL, lineage graph and last run"))
    .option("--out <dir>", "where to write the site (relative to the project dir)", "target/docs")
    .option("--serve", "then serve it on 127.0.0.1")
    .option("--port <n>", "port for --serve (0: any free port)", nonNegativeInt, 8080)
    .option("--offline", "compile only: no warehouse access (no column types, no run status)")
    .action(action(async (o) => (await import("./commands/docs.js")).docsCommand(o, io)));

  program
    .command("init")
    .description("create a new project: the standard RCU model, a sample estate and an rcu.yaml with commented examples of every connector, ready to run")
    .argument("<dir>", "directory of the new project (must be empty or absent)")
    .option("--people <n>", "people in the sample estate", positiveInt, 2000)
    .option("--no-sample", "no sample estate: an rcu.yaml with the commented examples only")
    .option("--force", "write into a non-empty directory")
    .action(async (dir: string, o: any) => setExit(await (await import("./commands/init.js")).initCommand(dir, o, io)));

  program
    .command("demo")
    .description("write the sample estate (a fictional French retailer's systems, with the truth of who is who) and its rcu.yaml; --run runs the whole pipeline on DuckDB")
    .option("--people <n>", "people in the estate (1 to 16,000,000)", positiveInt, 10_000)
    .option("--seed <n>", "generator seed: same seed, same bytes", integer, 42)
    .option("--out <dir>", "where to write data/, rcu.yaml and the warehouse (relative to the project dir)", "demo")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--force", "regenerate the estate even if one with the same size and seed is present (a regenerated estate starts a new demo warehouse: DIR/warehouse.duckdb is deleted)")
    .option("--run", "then extract, transform and summarise")
    .option("-t, --threads <n>", "actions run in parallel", positiveInt)
    .action(action(async (o) => (await import("./commands/demo.js")).demoCommand(o, io)));

  program
    .command("evaluate")
    .description("measure identity resolution against a ground truth (CSV: source,record_id,entity_id)")
    .requiredOption("--truth <file>", "ground-truth CSV with header source,record_id,entity_id")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--profile <name>", "warehouse profile from rcu.yaml")
    .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
    .option("--json", "one JSON object: pairwise, b_cubed ({precision, recall, f1}), entities ({predicted, true}), worst merges and splits")
    .option("--ceiling", "also report the evidence ceiling: the recall reachable if every pair of one true person sharing an identifier, a name or another attribute were linked")
    .action(action(async (o) => (await import("./commands/evaluate.js")).evaluateCommand(o, io)));

  const identity = program.command("identity").description("inspect resolved identities, and pin records to people where the data cannot tell");
  identity
    .command("explain <record-or-user>")
    .description("which records were grouped into a person, by which rule or score, through which edges, with each pair's weight attribute by attribute (give source:record_id or a user_id)")
    .option("--project-dir <dir>", "the project directory", ".")
    .option("--profile <name>", "warehouse profile from rcu.yaml")
    .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
    .option("--json", "machine-readable output")
    .action(async (query: string, o: any) => setExit(await (await import("./commands/identity.js")).explainCommand(query, o, io)));
  const lockOptions = (c: Command) =>
    c
      .option("--wait-lock <seconds>", "if another rcu process holds the warehouse's run lock, wait up to this long (default: exit 75 at once)", nonNegativeInt, 0)
      .option("--break-lock", "take the run lock even if held (only when its holder is known to be gone)");
  const projectOptions = (c: Command) =>
    c
      .option("--project-dir <dir>", "the project directory", ".")
      .option("--profile <name>", "warehouse profile from rcu.yaml")
      .option("--config <file>", "an rcu.yaml other than <project-dir>/rcu.yaml")
      .option("--json", "machine-readable output");
  projectOptions(lockOptions(
    identity
      .command("pin <person> <records...>")
      .description("a steward's decision: these records (source:record_id) are the person labelled <person>, and records pinned to other labels are other people, whatever the links say; applied by the next identity run (a user holding two labels is split, users holding one label are merged)")
      .requiredOption("--reason <text>", "why (kept with the pin, shown by rcu identity pins)"),
  )).addHelpText("after", `
Example: a father and son of one name, on one family mailbox, merged into one user
  rcu identity pin petit-father crm_contacts:CT2760301727 eshop_customers:1912334011 --reason "born 1953, landline"
  rcu identity pin petit-son crm_contacts:CT2379475190 eshop_customers:184004168 --reason "his mobile"
  rcu run --select tag:identity
A pin replaces the record's earlier one; labels are 1-64 letters, digits, . _ : - (keep personal data out of them).`)
    .action(async (person: string, records: string[], o: any) => setExit(await (await import("./commands/pins.js")).pinCommand(person, records, o, io)));
  projectOptions(lockOptions(
    identity
      .command("unpin [records...]")
      .description("remove the pins of these records (source:record_id), or of every record of one label: the links decide again from the next identity run")
      .option("--person <label>", "every pin of this label"),
  )).action(async (records: string[], o: any) => setExit(await (await import("./commands/pins.js")).unpinCommand(records, o, io)));
  projectOptions(
    identity.command("pins").description("list the steward's pins by person label, with each record's user and whether the last identity run applied them").option("--person <label>", "one label only"),
  ).action(async (o: any) => setExit(await (await import("./commands/pins.js")).pinsCommand(o, io)));

  return program;
}

/** Run the CLI; returns the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    const s = stylesFor(io, "stderr");
    if (err instanceof RcuError) {
      io.stderr.write(s.red("error: ") + err.describe() + "\n");
      // 75 (EX_TEMPFAIL): the warehouse is busy with another rcu process; schedulers retry later.
      return err.code === "LOCKED" ? 75 : USAGE_CODES.has(err.code) ? 2 : 1;
    }
    io.stderr.write(s.red("internal error: ") + ((err as Error)?.stack ?? String(err)) + "\n");
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
