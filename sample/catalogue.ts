/**
 * Small reference lists (products, stores, campaigns, sales owners): generated once per seed,
 * held in memory (a few hundred rows), written as whole files and referenced by the streamed
 * sources. Each file also gets one malformed row, like every other file of the estate.
 */
import { VOLUMES, EPOCH } from "./config.js";
import { CITIES } from "./data/places.js";
import { FEMALE, MALE, SURNAME, STREAM } from "./person.js";
import { Rng } from "./prng.js";
import { q, iso, money } from "./context.js";

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly priceCents: number;
}
export interface Store {
  readonly code: string;
  readonly name: string;
  readonly city: string;
  readonly postcode: string;
}
export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly sentAt: number;
}
export interface Catalogue {
  readonly products: readonly Product[];
  readonly stores: readonly Store[];
  readonly campaigns: readonly Campaign[];
  readonly salesOwners: readonly string[];
  readonly agents: readonly string[];
}

const CATEGORIES: readonly (readonly [string, readonly string[], number, number])[] = [
  ["Maison", ["Coussin", "Plaid", "Bougie parfumée", "Vase", "Nappe en lin", "Lampe de chevet", "Cadre photo"], 900, 8900],
  ["Cuisine", ["Poêle", "Cocotte", "Set de couteaux", "Planche à découper", "Théière", "Moulin à poivre"], 1200, 14900],
  ["Mode", ["Pull col roulé", "Chemise", "Jean droit", "Robe d'été", "Écharpe", "Bonnet", "Veste"], 1500, 12900],
  ["Beauté", ["Crème hydratante", "Savon de Marseille", "Eau de toilette", "Baume à lèvres", "Shampoing"], 500, 6900],
  ["Jardin", ["Arrosoir", "Sécateur", "Pot en terre cuite", "Graines de tomates", "Transat"], 400, 9900],
  ["Enfant", ["Peluche", "Puzzle", "Livre d'éveil", "Jeu de société", "Pyjama"], 800, 4900],
];
const ADJ = ["", " bleu", " rouge", " naturel", " grand modèle", " petit modèle", " édition limitée", " bio", " vert sauge", " écru"];
const THEMES = ["Soldes d'hiver", "Nouvelle collection", "Fête des mères", "Black Friday", "Rentrée", "Noël", "Vente privée", "Jardin de printemps"];

export function buildCatalogue(seed: number): Catalogue {
  const rng = new Rng(seed, STREAM.catalogue, 0);
  const products: Product[] = [];
  for (let i = 0; i < VOLUMES.productCount; i++) {
    const [category, names, lo, hi] = rng.pick(CATEGORIES);
    products.push({
      sku: `SKU-${String(100000 + i * 7 + rng.int(7))}`,
      name: rng.pick(names) + rng.pick(ADJ),
      category,
      priceCents: Math.round(rng.range(lo, hi) / 10) * 10 - 1,
    });
  }
  const stores: Store[] = [];
  for (let i = 0; i < VOLUMES.storeCount; i++) {
    const c = CITIES[(i * 7) % CITIES.length] as readonly [string, string, number];
    stores.push({ code: `MAG${String(i + 1).padStart(3, "0")}`, name: `Boutique ${c[0]}${i >= CITIES.length / 7 ? " " + (i + 1) : ""}`, city: c[0], postcode: c[1] });
  }
  const campaigns: Campaign[] = [];
  const span = EPOCH.end - EPOCH.start;
  for (let i = 0; i < VOLUMES.campaignCount; i++) {
    const theme = rng.pick(THEMES);
    const sentAt = EPOCH.start + Math.floor(((i + rng.float()) / VOLUMES.campaignCount) * span);
    campaigns.push({ id: `CMP${String(i + 1).padStart(4, "0")}`, name: `${theme} ${new Date(sentAt).getUTCFullYear()}`, subject: `${theme} : jusqu'à -${rng.range(2, 7) * 10} %`, sentAt });
  }
  const salesOwners: string[] = [];
  for (let i = 0; i < 14; i++) salesOwners.push(`${(i % 2 ? MALE : FEMALE).pick(rng)} ${SURNAME.pick(rng).toUpperCase()}`);
  const agents: string[] = [];
  for (let i = 0; i < 40; i++) agents.push(`${(i % 2 ? MALE : FEMALE).pick(rng)} ${SURNAME.pick(rng)[0]}.`);
  return { products, stores, campaigns, salesOwners, agents };
}

export interface StaticFile {
  readonly path: string;
  readonly text: string;
  readonly rows: number;
  readonly malformed: number;
}

/** Static files, each with one malformed row (at the same place for a given seed). */
export function staticFiles(cat: Catalogue): StaticFile[] {
  const products = cat.products.map((p) => `{"sku":${q(p.sku)},"name":${q(p.name)},"category":${q(p.category)},"price_eur":${money(p.priceCents)}}`);
  products.splice(17, 0, `{"sku":"SKU-BROKEN","name":"Produit test","price_eur":}`);
  const stores = cat.stores.map((s) => `${s.code};${s.name};${s.city};${s.postcode}`);
  stores.splice(5, 0, `MAG999;Entrepôt;`);
  const campaigns = cat.campaigns.map((c) => `${c.id},"${c.name}","${c.subject}",${iso(c.sentAt)}`);
  campaigns.splice(3, 0, `CMP9999,Test campagne`);
  return [
    { path: "eshop/products.jsonl", text: products.join("\n") + "\n", rows: products.length, malformed: 1 },
    { path: "stores/stores.csv", text: "code_magasin;nom;ville;code_postal\n" + stores.join("\n") + "\n", rows: stores.length, malformed: 1 },
    { path: "email/campaigns.csv", text: "campaign_id,name,subject,sent_at\n" + campaigns.join("\n") + "\n", rows: campaigns.length, malformed: 1 },
  ];
}
