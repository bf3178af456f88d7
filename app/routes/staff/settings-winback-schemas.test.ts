import { describe, expect, it } from "vitest";
import { EXIT_REASONS } from "~/domain/enums";
import { DEFAULT_ROUTING } from "~/domain/winback-routing";
import { fieldErrors } from "~/routes/public/form-data";
import {
  NewOfferSchema,
  queueField,
  RoutingRulesSchema,
  slaField,
  WinbackPolicySchema,
} from "./settings-winback-schemas";

/** The rules form as the page posts it for the default table. */
function defaults(): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const reason of EXIT_REASONS) {
    const rule = DEFAULT_ROUTING[reason];
    fields[queueField(reason)] = rule.queue ?? "none";
    fields[slaField(reason)] = rule.slaHours > 0 ? String(rule.slaHours) : "";
  }
  return fields;
}

describe("the routing rules form", () => {
  it("reads the default table back as it is", () => {
    expect(RoutingRulesSchema.parse(defaults())).toEqual(DEFAULT_ROUTING);
  });

  it("reads a queue and a whole number of hours, spaces around it allowed", () => {
    const table = RoutingRulesSchema.parse({
      ...defaults(),
      queue_moving: "apology",
      sla_moving: " 12 ",
    });
    expect(table.moving).toEqual({ queue: "apology", slaHours: 12 });
  });

  it("does not read the SLA of a reason without win-back", () => {
    const table = RoutingRulesSchema.parse({ ...defaults(), queue_price: "none", sla_price: "x" });
    expect(table.price).toEqual({ queue: null, slaHours: 0 });
  });

  it.each(["0", "721", "abc", "", "1.5", "-3", "1e2"])(
    "refuses an SLA of %j on that reason's field",
    (sla) => {
      const result = RoutingRulesSchema.safeParse({ ...defaults(), sla_speed: sla });
      expect(result.success).toBe(false);
      expect(fieldErrors(result.error!)).toEqual({
        sla_speed: "staff.winbackSettings.error.slaHours",
      });
    },
  );

  it("refuses an unknown queue, and a missing one", () => {
    const unknown = RoutingRulesSchema.safeParse({ ...defaults(), queue_other: "telemarketing" });
    expect(fieldErrors(unknown.error!)).toEqual({
      queue_other: "staff.winbackSettings.error.queue",
    });
    const { queue_price: _missing, ...withoutPrice } = defaults();
    const missing = RoutingRulesSchema.safeParse(withoutPrice);
    expect(fieldErrors(missing.error!)).toEqual({
      queue_price: "staff.winbackSettings.error.queue",
    });
  });
});

describe("the contact policy form", () => {
  it("keeps attempts within 1–10 and days within 1–365", () => {
    expect(WinbackPolicySchema.parse({ maxAttempts: "10", maxAgeDays: "365" })).toEqual({
      maxAttempts: 10,
      maxAgeDays: 365,
    });
    const result = WinbackPolicySchema.safeParse({ maxAttempts: "0", maxAgeDays: "366" });
    expect(fieldErrors(result.error!)).toEqual({
      maxAttempts: "staff.winbackSettings.error.maxAttempts",
      maxAgeDays: "staff.winbackSettings.error.maxAgeDays",
    });
  });
});

describe("a new offer", () => {
  it("stores the code upper-case", () => {
    expect(
      NewOfferSchema.parse({ code: " tech-48h ", name: " Technicien ", description: "Sous 48 h." }),
    ).toEqual({ code: "TECH-48H", name: "Technicien", description: "Sous 48 h." });
  });

  it.each(["FIBRE 12", "-FIBRE", "FIBRE-", "FIBRE--12", "FIBRÉ", "A".repeat(41)])(
    "refuses the code %j",
    (code) => {
      const result = NewOfferSchema.safeParse({ code, name: "N", description: "D" });
      expect(result.success).toBe(false);
      expect(Object.keys(fieldErrors(result.error!))).toEqual(["code"]);
    },
  );

  it("needs a name and a description", () => {
    const result = NewOfferSchema.safeParse({ code: "X", name: " ", description: "" });
    expect(fieldErrors(result.error!)).toEqual({
      name: "staff.winbackSettings.error.offerNameRequired",
      description: "staff.winbackSettings.error.offerDescriptionRequired",
    });
  });
});
