/**
 * A fixed line is a household's, a mobile number its holder's (phone.isMobile, person_records
 * .phone_mobile): a record without a first name sharing a fixed line with a named record whose
 * surname sounds otherwise ("- Ferreira" on Camille Morin's landline) is a household member's
 * ticket as often as hers, so the line does not link them; on a mobile, or with the same surname,
 * it does — unless another given name of that surname, of the ticket's gender, lives at her
 * address (a daughter with her own records): then the ticket could be either's.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("a household's fixed line", () => {
  it("does not attach a record without a first name and with another surname; a mobile does", async () => {
    const project = await peopleProject(await tempDir("rcu-household-line-"), ["first_name", "last_name", "phone"]);
    await project.write([
      "id,first_name,last_name,phone",
      "camille,Camille,Morin,01 38 39 50 64", // a landline (+33 1)
      "ticket_ferreira,,Ferreira,01 38 39 50 64", // her partner's ticket, as often as hers
      "ticket_morin,,Morin,01 38 39 50 64", // her surname: attaches
      "lucas,Lucas,Martin,06 71 82 93 40", // a mobile (+33 6)
      "ticket_bernard,,Bernard,06 71 82 93 40", // another surname on his mobile: still his
      "eva,Eva,Roux,09 71 28 44 13", // a box's VoIP line (+33 9): a household's too
      "ticket_colin,,Colin,09 71 28 44 13",
    ]);
    await project.resolve();
    const user = await project.users();
    expect(user.get("ticket_ferreira")).not.toBe(user.get("camille"));
    expect(user.get("ticket_morin")).toBe(user.get("camille"));
    expect(user.get("ticket_bernard")).toBe(user.get("lucas"));
    expect(user.get("ticket_colin")).not.toBe(user.get("eva"));

    const mobiles = await duck<{ record_key: string; phone_mobile: boolean }>(project.warehouse, "SELECT record_key, phone_mobile FROM rcu_identity.person_records WHERE record_key IN ('people:camille', 'people:lucas', 'people:eva') ORDER BY 1");
    expect(mobiles).toEqual([
      { record_key: "people:camille", phone_mobile: false },
      { record_key: "people:eva", phone_mobile: false },
      { record_key: "people:lucas", phone_mobile: true },
    ]);
    const [pair] = await duck<{ decision: string; family_line: boolean }>(
      project.warehouse,
      "SELECT decision, family_line FROM rcu_identity.pair_scores WHERE LEAST(id_l, id_r) = 'people:camille' AND GREATEST(id_l, id_r) = 'people:ticket_ferreira'",
    );
    expect(pair).toEqual({ decision: "below threshold: phone is a household's fixed line", family_line: true });
  }, 120_000);

  it("does not attach a ticket of her surname when another of that surname and the ticket's gender lives at her address", async () => {
    const project = await peopleProject(await tempDir("rcu-household-rival-"), ["title", "first_name", "last_name", "phone", "address_line", "postcode", "city"]);
    await project.write([
      "id,title,first_name,last_name,phone,address_line,postcode,city",
      // Camille Morin on the home's landline; her daughter Léa, at the same address, on her mobile.
      "camille,Mme,Camille,Morin,01 38 39 50 64,12 rue des Lilas,45000,Orléans",
      "lea,Mme,Léa,Morin,06 12 40 77 31,12 rue des Lilas,45000,Orléans",
      "ticket_mme_morin,Mme,,Morin,01 38 39 50 64,,,", // either of them: stays apart
      // Eva Roux on her landline; her son Hugo at the same address: a "Mme Roux" ticket is hers.
      "eva,Mme,Eva,Roux,02 41 87 11 09,3 place du Marché,49000,Angers",
      "hugo,M.,Hugo,Roux,07 55 20 61 48,3 place du Marché,49000,Angers",
      "ticket_mme_roux,Mme,,Roux,02 41 87 11 09,,,",
    ]);
    await project.resolve();
    const user = await project.users();
    expect(user.get("ticket_mme_morin")).not.toBe(user.get("camille"));
    expect(user.get("ticket_mme_morin")).not.toBe(user.get("lea"));
    expect(user.get("ticket_mme_roux")).toBe(user.get("eva"));
    expect(user.get("hugo")).not.toBe(user.get("eva"));

    const pairs = await duck<{ decision: string; family_line: boolean }>(
      project.warehouse,
      "SELECT decision, family_line FROM rcu_identity.pair_scores WHERE 'people:camille' IN (id_l, id_r) AND 'people:ticket_mme_morin' IN (id_l, id_r)",
    );
    expect(pairs).toEqual([{ decision: "below threshold: phone is a household's fixed line", family_line: true }]);
  }, 120_000);
});
