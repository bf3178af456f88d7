import type { LoaderFunctionArgs } from "@remix-run/node";
import { readJourney } from "./journey-session.server";
import { letterResponse } from "./letter-response.server";

// GET /resilier/accuse/lettre.pdf — the letter of this browser's journey.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { journey } = await readJourney(request, context);
  if (journey.caseId === undefined) throw new Response("Not Found", { status: 404 });
  return letterResponse(journey.caseId, { request, context, backHref: "/resilier/accuse" });
}
