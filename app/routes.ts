import type { RouteConfig } from "@remix-run/route-config";
import { index, route } from "@remix-run/route-config";

// Every URL of the portal, grouped by audience.
export default [
  // Public pages (no account; work without JavaScript)
  index("routes/public/home.tsx"),
  // The journey: identify → summary → acknowledgment (3 submits for one contract)
  route("resilier", "routes/public/cancel-identify.tsx"),
  route("resilier/recapitulatif", "routes/public/cancel-summary.tsx"),
  route("resilier/accuse", "routes/public/cancel-acknowledgment.tsx"),
  route("resilier/avis-recu", "routes/public/cancel-notice-received.tsx"),
  // The case page behind the private link, and find-my-case
  route("dossier", "routes/public/case-find.tsx"),
  route("dossier/:token", "routes/public/case-page.tsx"),
  route("dossier/:token/retrait", "routes/public/case-withdraw.tsx"),
  route("dossier/:token/lettre.pdf", "routes/public/case-letter.ts"),
  route("resilier/accuse/lettre.pdf", "routes/public/cancel-acknowledgment-letter.ts"),

  // Development mailbox (only without SMTP_URL): the emails a newcomer's portal sends
  route("dev/mailbox", "routes/dev/mailbox.tsx"),
  route("dev/mailbox/:id", "routes/dev/mailbox-message.tsx"),
  route("dev/mailbox/:id/html", "routes/dev/mailbox-html.ts"),
  route("dev/mailbox/:id/attachments/:index", "routes/dev/mailbox-attachment.ts"),

  // Last: every other address is a translated 404 page.
  route("*", "routes/public/not-found.tsx"),
] satisfies RouteConfig;
