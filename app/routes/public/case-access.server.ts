import type { AppLoadContext } from "@remix-run/node";
import { loadCaseByToken } from "~/services/load-subscriber-case.server";

/** The case behind a private link, or a 404 that says nothing about why. */
export async function requireCaseByToken(context: AppLoadContext, token: string | undefined) {
  const view = token === undefined ? null : await loadCaseByToken(context.db, token);
  if (view === null) throw new Response("Not Found", { status: 404 });
  return view;
}
