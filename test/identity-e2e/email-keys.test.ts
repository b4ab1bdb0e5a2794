/**
 * person_records' email_key through a whole run: a +tag is dropped on every domain, and a domain
 * the estate shows to be mistyped (one typo from a major domain, twenty times rarer) is corrected
 * before Gmail's rules apply, so an email-only sign-up typed that way joins its person. A real
 * provider one typo from a major domain (ymail.com) is left alone (includes/email.js).
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

const GIVEN = ["Alice", "Bruno", "Chloé", "David", "Emma", "Fabien", "Gaëlle", "Hugo", "Inès", "Julien", "Karim", "Lucie", "Mathis", "Nadia", "Olivier", "Pauline", "Quentin", "Rose", "Simon", "Théo"];
const SURNAMES = ["Arnaud", "Blanc", "Carré", "Dumas", "Étienne", "Fabre", "Gillet", "Hamon", "Isnard", "Joly", "Klein", "Leroy", "Masson", "Noël", "Ollivier", "Perrin", "Quéré", "Rolland", "Sauvage", "Tessier"];

describe("email keys", () => {
  it("drop a +tag on any domain and correct a mistyped domain, but not a real provider's", async () => {
    const project = await peopleProject(await tempDir("rcu-email-keys-"), ["first_name", "last_name", "email"]);
    await project.write([
      "id,first_name,last_name,email",
      // Twenty people at gmail.com make it the major domain a rare one-typo domain is read against.
      ...GIVEN.map((g, i) => `p${i},${g},${SURNAMES[i]},${g.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}${i}@gmail.com`),
      "jean,Jean,Dupont,jean.dupont@gmail.com",
      "typo,,,Jean.Dupont+promo@gmail.con", // an email-only sign-up, mistyped and tagged
      "marie,Marie,Curie,marie.curie@orange.fr",
      "tagged,,,marie.curie+shop@orange.fr", // a +tag at a provider that keeps no sub-addresses
      "yjean,,,jean.dupont@ymail.com", // Yahoo's ymail.com: another mailbox, one typo from gmail.com
    ]);
    await project.resolve();
    const keys = new Map(
      (await duck<{ record_key: string; email_key: string }>(project.warehouse, "SELECT record_key, email_key FROM rcu_identity.person_records")).map((r) => [r.record_key, r.email_key]),
    );
    expect(keys.get("people:typo")).toBe("jeandupont@gmail.com");
    expect(keys.get("people:jean")).toBe("jeandupont@gmail.com");
    expect(keys.get("people:tagged")).toBe("marie.curie@orange.fr");
    expect(keys.get("people:yjean")).toBe("jean.dupont@ymail.com");
    const user = await project.users();
    expect(user.get("typo")).toBe(user.get("jean"));
    expect(user.get("tagged")).toBe(user.get("marie"));
    expect(user.get("yjean")).not.toBe(user.get("jean"));
  }, 120_000);
});
