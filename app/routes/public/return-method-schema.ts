import { z } from "zod";
import { PICKUP_SLOTS, RETURN_METHODS } from "~/domain/enums";

// The return-method form of the case page. Messages are i18n keys. A courier pick-up needs a
// day and a slot; the other methods ignore those fields.
export const ReturnMethodSchema = z
  .object({
    method: z.enum(RETURN_METHODS, { error: "returnTrack.error.method" }),
    pickupDate: z.string().optional(),
    pickupSlot: z.string().optional(),
  })
  .transform((value, context) => {
    if (value.method !== "courier_pickup") return { method: value.method };
    const date = z.iso.date().safeParse(value.pickupDate ?? "");
    const slot = z.enum(PICKUP_SLOTS).safeParse(value.pickupSlot ?? "");
    if (!date.success)
      context.addIssue({
        code: "custom",
        path: ["pickupDate"],
        message: "returnTrack.error.pickupDate",
      });
    if (!slot.success)
      context.addIssue({
        code: "custom",
        path: ["pickupSlot"],
        message: "returnTrack.error.pickupSlot",
      });
    if (!date.success || !slot.success) return z.NEVER;
    return { method: "courier_pickup" as const, pickupDate: date.data, pickupSlot: slot.data };
  });
