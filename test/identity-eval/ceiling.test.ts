import { describe, expect, it } from "vitest";
import { evidenceCeiling } from "../../identity/ceiling.js";

const rec = (record_key: string, fields: Record<string, unknown>) => ({ record_key, email_key: null, phone_e164: null, national_id: null, id_crm: null, first_key: null, last_key: null, first_phon: null, last_phon: null, birth_key: null, address_key: null, postcode: null, city_key: null, birth_year: null, ...fields });

describe("evidence ceiling", () => {
  it("links pairs transitively by the evidence they share, level by level", () => {
    const records = [
      // Person A: a and b share an email, b and c share a CRM id (so a–c is reachable), d only a name.
      rec("s:a", { email_key: "x@y.fr", first_key: "jean", last_key: "martin", first_phon: "JAN", last_phon: "MARTIN" }),
      rec("s:b", { email_key: "x@y.fr", id_crm: "C1" }),
      rec("s:c", { id_crm: "C1" }),
      rec("s:d", { first_key: "jean", last_key: "martin", first_phon: "JAN", last_phon: "MARTIN" }),
      // Person B: nothing shared but the last name.
      rec("s:e", { last_key: "durand", last_phon: "DURAN" }),
      rec("s:f", { first_key: "anne", last_key: "durand", last_phon: "DURAN", birth_key: "19800101" }),
      // A record outside the truth is ignored.
      rec("s:z", { email_key: "x@y.fr" }),
    ];
    const truth = new Map([["s:a", "A"], ["s:b", "A"], ["s:c", "A"], ["s:d", "A"], ["s:e", "B"], ["s:f", "B"]]);
    const c = evidenceCeiling(records, truth);
    expect(c.truePairs).toBe(7); // 6 within A, 1 within B
    const [ids, names, attributes, lastName] = c.levels;
    expect(ids).toMatchObject({ evidence: "identifiers", directPairs: 2, recall: 3 / 7 }); // a-b, b-c → {a,b,c}
    expect(names).toMatchObject({ evidence: "names", directPairs: 3, recall: 6 / 7 }); // + a-d → {a,b,c,d}
    expect(attributes!.recall).toBe(6 / 7);
    expect(lastName).toMatchObject({ evidence: "last name", recall: 1 });
    expect(lastName!.f1).toBe(1);
    expect(names!.f1).toBeCloseTo((2 * 6) / 7 / (1 + 6 / 7), 10);
  });

  it("counts an identifier seen with both records in events (a device at login) as a shared identifier", () => {
    const records = [
      { ...rec("s:a", {}), seen: ["device:d1", "device:d2"] },
      { ...rec("s:b", {}), seen: ["device:d2"] },
      { ...rec("s:c", {}), seen: ["device:d3"] },
      rec("s:d", {}),
    ];
    const c = evidenceCeiling(records, new Map([["s:a", "A"], ["s:b", "A"], ["s:c", "A"], ["s:d", "A"]]));
    expect(c.levels[0]).toMatchObject({ evidence: "identifiers", directPairs: 1, recall: 1 / 6 });
  });
});
